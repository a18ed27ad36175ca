package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.client.MailgunException;

/**
 * The create POST may or may not have reached Mailgun. The next reconcile reads the account and
 * finds the pool by its ownership marker instead of posting again.
 */
final class CreateIncompleteException extends RuntimeException {
    CreateIncompleteException(MailgunException cause) {
        super(
                "The pool create may not have completed (" + cause.getMessage()
                        + "); the next attempt looks the pool up by its ownership marker before creating",
                cause);
    }
}
