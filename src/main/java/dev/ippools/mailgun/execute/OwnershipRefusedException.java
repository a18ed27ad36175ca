package dev.ippools.mailgun.execute;

import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.plan.MailgunStep;

/** A write the ownership guard stopped before it left the process; retrying cannot fix it. */
public final class OwnershipRefusedException extends MailgunException {

    public OwnershipRefusedException(MailgunStep step, String reason) {
        super("not sent: " + step.describe() + ": " + reason, null, null, null);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
