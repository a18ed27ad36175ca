package dev.ippools.mailgun.client.model;

/** The {@code {"message": ..., "reference_id": ...}} answer of a write. */
public record MailgunResponse(String message, String referenceId) {
    /** True when Mailgun accepted the call and continues in the background. */
    public boolean started() {
        return "started".equalsIgnoreCase(message) || "queued".equalsIgnoreCase(message);
    }
}
