package dev.ippools.mailgun.plan;

/** namespace/name of a custom resource, the planner's only notion of Kubernetes identity. */
public record ResourceKey(String namespace, String name) implements Comparable<ResourceKey> {
    @Override
    public int compareTo(ResourceKey o) {
        int c = namespace.compareTo(o.namespace);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
