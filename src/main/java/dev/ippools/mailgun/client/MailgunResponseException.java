package dev.ippools.mailgun.client;

/**
 * Mailgun answered 2xx with something the client cannot use: a non-JSON body (a wrong base URL
 * answers {@code 200 Mailgun Magnificent API}), a missing required field, or paging that never
 * ends. Not transient: retrying the same call gives the same answer.
 */
public final class MailgunResponseException extends MailgunException {

    private final int status;

    public MailgunResponseException(String method, String endpoint, int status, String problem, Throwable cause) {
        super(endpoint + " answered " + status + " but " + problem, method, endpoint, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
