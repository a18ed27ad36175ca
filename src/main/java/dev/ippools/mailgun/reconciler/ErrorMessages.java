package dev.ippools.mailgun.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** One line for a person, for any error a reconcile can end with. Never carries a credential. */
final class ErrorMessages {

    /** Status quotes of a Mailgun answer stay short: status is for people, not for bodies. */
    static final int MAX_QUOTE = 200;

    private ErrorMessages() {}

    static String of(Exception e) {
        if (e instanceof KubernetesClientException k && k.getCode() == 409) {
            return "The resource changed while it was reconciled; retrying";
        }
        String message = e.getMessage();
        String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
        return shortened(text) + " (retrying with backoff)";
    }

    /** At most {@link #MAX_QUOTE} characters of an error text, on one line. */
    static String shortened(String text) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_QUOTE ? line : line.substring(0, MAX_QUOTE) + "...";
    }
}
