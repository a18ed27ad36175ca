package dev.ippools.mailgun.account;

import dev.ippools.mailgun.client.MailgunApiException;
import java.time.Instant;
import java.util.Optional;

/**
 * Why an account cannot be read right now, and when Mailgun last answered a bulk read of it.
 *
 * @param detail the failure's message: endpoint and HTTP status, never the key
 * @param lastConfirmed when Mailgun last answered the bulk read, or null if it never did
 */
public record PollHealth(Cause cause, String detail, Instant lastConfirmed) {

    /** The cause, by what the user has to do about it. */
    public enum Cause {
        /** 401 or 403: the key is wrong, revoked or lacks access. */
        UNAUTHORIZED("Unauthorized"),
        /** 5xx, 429, a timeout or no connection: Mailgun or the way to it is down. */
        UNREACHABLE("AccountUnreachable");

        private final String label;

        Cause(String label) {
            this.label = label;
        }

        /** The condition reason and metric label for this cause. */
        public String label() {
            return label;
        }
    }

    /** The account's health after its last read: empty while reads succeed. */
    public static Optional<PollHealth> of(AccountState account) {
        return account.lastError()
                .map(e -> new PollHealth(
                        causeOf(e),
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
                        account.lastConfirmed().orElse(null)));
    }

    public static Cause causeOf(RuntimeException failure) {
        return failure instanceof MailgunApiException e && e.isUnauthorized() ? Cause.UNAUTHORIZED : Cause.UNREACHABLE;
    }
}
