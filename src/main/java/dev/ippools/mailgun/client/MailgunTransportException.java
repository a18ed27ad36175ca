package dev.ippools.mailgun.client;

import java.io.IOException;

/** No usable HTTP answer: connection failure, timeout, reset. Always transient. */
public final class MailgunTransportException extends MailgunException {

    private final boolean requestMayHaveBeenSent;

    public MailgunTransportException(
            String method, String endpoint, boolean requestMayHaveBeenSent, IOException cause) {
        super(describe(endpoint, requestMayHaveBeenSent, cause), method, endpoint, cause);
        this.requestMayHaveBeenSent = requestMayHaveBeenSent;
    }

    private static String describe(String endpoint, boolean sent, IOException cause) {
        String what = cause.getClass().getSimpleName();
        String detail = cause.getMessage() == null ? what : what + ": " + cause.getMessage();
        return endpoint + (sent ? " got no answer from Mailgun (" : " could not reach Mailgun (") + detail + ")";
    }

    @Override
    public boolean isTransient() {
        return true;
    }

    /**
     * False only when the failure happened before the request left the client (DNS, connect, TLS), so
     * a non-idempotent call such as pool creation certainly had no effect. When true, the outcome is
     * unknown: look the result up before repeating a create.
     */
    public boolean requestMayHaveBeenSent() {
        return requestMayHaveBeenSent;
    }
}
