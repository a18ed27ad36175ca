package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.api.v1alpha1.IpPool;
import io.fabric8.kubernetes.client.utils.Serialization;

/** Small YAML helpers for test manifests. */
final class Manifests {
  private Manifests() {}

  static <T> T yaml(String text, Class<T> type) {
    return Serialization.unmarshal(text, type);
  }
}
