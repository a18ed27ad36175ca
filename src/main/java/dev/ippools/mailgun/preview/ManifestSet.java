package dev.ippools.mailgun.preview;

import java.util.List;

/**
 * Everything read from the manifest files, in file order.
 *
 * @param skipped documents that are not IpPools or DomainPoolBindings, with the reason
 */
public record ManifestSet(List<Manifest> manifests, List<Skipped> skipped) {

    public ManifestSet {
        manifests = List.copyOf(manifests);
        skipped = List.copyOf(skipped);
    }

    public List<Manifest> pools() {
        return manifests.stream().filter(m -> m.kind().equals(Manifest.IP_POOL)).toList();
    }

    public List<Manifest> bindings() {
        return manifests.stream()
                .filter(m -> m.kind().equals(Manifest.DOMAIN_POOL_BINDING))
                .toList();
    }

    /**
     * A document left out of the plan.
     *
     * @param kubernetes whether it is a Kubernetes object of another kind (a Kustomization, a
     *     Deployment); false for YAML that is no Kubernetes object at all
     */
    public record Skipped(String source, String reason, boolean kubernetes) {}
}
