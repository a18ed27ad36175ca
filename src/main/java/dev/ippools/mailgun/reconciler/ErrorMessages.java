package dev.ippools.mailgun.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** One line for a person, for any error a reconcile can end with. Never carries a credential. */
final class ErrorMessages {
  private ErrorMessages() {}

  static String of(Exception e) {
    if (e instanceof KubernetesClientException k && k.getCode() == 409) {
      return "The resource changed while it was reconciled; retrying";
    }
    String message = e.getMessage();
    String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    return text + " (retrying with backoff)";
  }
}
