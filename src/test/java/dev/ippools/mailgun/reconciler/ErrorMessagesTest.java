package dev.ippools.mailgun.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.MailgunApiException;
import org.junit.jupiter.api.Test;

class ErrorMessagesTest {

    @Test
    void aMailgunAnswerQuotedIntoStatusStaysShort() {
        String body = "x".repeat(290) + "\n<html>";
        MailgunApiException e = new MailgunApiException("GET", "GET /v3/ip_pools", 400, body, null);

        Outcome rejected = Outcome.rejected(null, e);
        String retried = ErrorMessages.of(e);

        assertThat(rejected.readyMessage())
                .hasSizeLessThan(ErrorMessages.MAX_QUOTE + 40)
                .doesNotContain("<html>")
                .doesNotContain("\n");
        assertThat(retried).hasSizeLessThan(ErrorMessages.MAX_QUOTE + 40).doesNotContain("<html>");
    }
}
