package dev.ippools.mailgun.reconciler;

import io.fabric8.kubernetes.client.utils.Serialization;

/** Small YAML helpers for test manifests. */
final class Manifests {
    private Manifests() {}

    static <T> T yaml(String text, Class<T> type) {
        return Serialization.unmarshal(text, type);
    }
}
