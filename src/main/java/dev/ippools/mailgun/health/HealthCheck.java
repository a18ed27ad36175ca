package dev.ippools.mailgun.health;

/** One probe's verdict, computed when the probe asks. Must be quick and must not block. */
@FunctionalInterface
public interface HealthCheck {

    Status check();

    /** @param detail shown in the probe's response body; why it is unhealthy */
    record Status(boolean healthy, String detail) {
        public static Status ok() {
            return new Status(true, "ok");
        }

        public static Status failing(String detail) {
            return new Status(false, detail);
        }
    }
}
