package dev.ippools.mailgun.execute;

import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.plan.MailgunStep;

/**
 * A 404 for the thing a step removes means it is already gone, which is what the step wanted:
 * typically a retry of a delete whose first attempt Mailgun carried out without the answer
 * arriving. Never a rejection.
 */
final class GoneIsDone {

    private GoneIsDone() {}

    static boolean completes(MailgunStep step, MailgunException failure) {
        return failure instanceof MailgunApiException e && e.isNotFound() && removes(step);
    }

    private static boolean removes(MailgunStep step) {
        return step instanceof MailgunStep.DeletePool
                || step instanceof MailgunStep.RemovePoolIp
                || step instanceof MailgunStep.RevokePoolDelegation
                || step instanceof MailgunStep.UnlinkDomainPool
                || step instanceof MailgunStep.RemoveDomainIp
                || step instanceof MailgunStep.RemoveDomainPool
                || step instanceof MailgunStep.CancelWarmup;
    }
}
