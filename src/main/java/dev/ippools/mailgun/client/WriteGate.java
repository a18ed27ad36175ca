package dev.ippools.mailgun.client;

/**
 * Fencing for Mailgun writes: once closed (the process lost its leader Lease), no write leaves
 * the process, however far along a reconcile or a retry is. Reads stay allowed. Never reopens:
 * a process that lost the Lease exits.
 */
public final class WriteGate {

    private volatile String closedBecause;

    private WriteGate() {}

    public static WriteGate open() {
        return new WriteGate();
    }

    /** Stops every later write; {@code why} goes into the exception each one gets. */
    public void close(String why) {
        closedBecause = why;
    }

    public boolean isOpen() {
        return closedBecause == null;
    }

    /**
     * Throws when closed; called right before a write is sent.
     *
     * @throws WriteFencedException when the gate is closed
     */
    public void check(String method, String endpoint) {
        String why = closedBecause;
        if (why != null) {
            throw new WriteFencedException(method, endpoint, why);
        }
    }

    /** A write was stopped before it was sent: Mailgun saw nothing. */
    public static final class WriteFencedException extends MailgunException {
        WriteFencedException(String method, String endpoint, String why) {
            super(endpoint + " not sent: " + why, method, endpoint, null);
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }
}
