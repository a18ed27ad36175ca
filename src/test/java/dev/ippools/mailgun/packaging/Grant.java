package dev.ippools.mailgun.packaging;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/** One right an RBAC rule gives: a verb on a resource of an API group. */
record Grant(String apiGroup, String resource, String verb) implements Comparable<Grant> {

    /** The operator's rights in each namespace it watches (or cluster-wide). */
    static final Set<Grant> OPERATOR = union(
            all(
                    "mailgun.ippools.dev",
                    Set.of("ippools", "domainpoolbindings"),
                    Set.of("get", "list", "watch", "update", "patch")),
            all(
                    "mailgun.ippools.dev",
                    Set.of("ippools/status", "domainpoolbindings/status"),
                    Set.of("get", "update", "patch")),
            all("mailgun.ippools.dev", Set.of("ippools/finalizers", "domainpoolbindings/finalizers"), Set.of("update")),
            // Secrets by name only, when a resource names them: no list, no watch
            all("", Set.of("secrets"), Set.of("get")),
            all("", Set.of("events"), Set.of("create", "patch")),
            all("events.k8s.io", Set.of("events"), Set.of("create", "patch")));

    /** Cluster-wide only: the kube-system namespace, whose uid is the default owner id. */
    static final Set<Grant> OWNER_ID = all("", Set.of("namespaces"), Set.of("get"));

    /** Leader election, in the lease namespace only. */
    static final Set<Grant> LEADER_ELECTION =
            all("coordination.k8s.io", Set.of("leases"), Set.of("get", "list", "watch", "create", "update", "patch"));

    /** Every right the rules give (a rule gives each verb on each resource of each group). */
    static Set<Grant> of(Collection<PolicyRule> rules) {
        Set<Grant> grants = new TreeSet<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                grants.addAll(all(group, Set.copyOf(rule.getResources()), Set.copyOf(rule.getVerbs())));
            }
        }
        return grants;
    }

    static Set<Grant> all(String apiGroup, Set<String> resources, Set<String> verbs) {
        Set<Grant> grants = new TreeSet<>();
        resources.forEach(r -> verbs.forEach(v -> grants.add(new Grant(apiGroup, r, v))));
        return grants;
    }

    @SafeVarargs
    static Set<Grant> union(Set<Grant>... sets) {
        Set<Grant> grants = new TreeSet<>();
        for (Set<Grant> set : sets) {
            grants.addAll(set);
        }
        return Set.copyOf(grants);
    }

    @Override
    public int compareTo(Grant other) {
        return toString().compareTo(other.toString());
    }
}
