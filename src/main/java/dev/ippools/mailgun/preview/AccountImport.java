package dev.ippools.mailgun.preview;

import dev.ippools.mailgun.api.v1alpha1.AccountReference;
import dev.ippools.mailgun.api.v1alpha1.DeletionPolicy;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBindingSpec;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.IpPoolSpec;
import dev.ippools.mailgun.api.v1alpha1.ManagementPolicy;
import dev.ippools.mailgun.api.v1alpha1.OnDelete;
import dev.ippools.mailgun.api.v1alpha1.PoolReference;
import dev.ippools.mailgun.plan.IpAddresses;
import dev.ippools.mailgun.plan.OwnershipMarker;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@code import} command's pure part: what a Mailgun account holds, as IpPool and
 * DomainPoolBinding manifests that adopt it without changing it. Deterministic: pools sorted by
 * id, bindings by domain, names derived from Mailgun's and made unique in a stable order.
 *
 * <p>Imported resources leave Mailgun alone when deleted ({@code deletionPolicy: Orphan},
 * {@code onDelete: Orphan}): deleting a manifest that was only a reading of the account must not
 * delete a pool that carries mail. Pools inherited from a parent account are {@code Observe}.
 */
public final class AccountImport {

    private static final int MAX_NAME = 253;

    private AccountImport() {}

    /** A pool as read: {@code linkedDomains} are the domain names linked to it. */
    public record PoolEntry(
            String id,
            String name,
            String description,
            List<String> ips,
            boolean inherited,
            Set<String> delegatedTo,
            List<String> linkedDomains) {}

    /** A sending domain and its dedicated IPs (shared ones left out). */
    public record DomainEntry(String name, List<String> dedicatedIps) {}

    /**
     * @param accountRef Secret name to write as spec.accountRef, or null for the default account
     * @param includePools pool ids or Mailgun names to import; empty: all
     * @param includeDomains domain names to import; empty: all
     */
    public record Options(String namespace, String accountRef, Set<String> includePools, Set<String> includeDomains) {
        public Options {
            includePools = includePools == null ? Set.of() : Set.copyOf(includePools);
            includeDomains = includeDomains == null ? Set.of() : Set.copyOf(includeDomains);
        }
    }

    /** The manifests, pools first, and what a person should know (renames, skipped domains). */
    public record Result(List<HasMetadata> resources, List<String> notes) {}

    public static Result build(List<PoolEntry> pools, List<DomainEntry> domains, Options options) {
        List<String> notes = new ArrayList<>();
        List<HasMetadata> out = new ArrayList<>();
        List<PoolEntry> chosen = pools.stream()
                .filter(p -> options.includePools().isEmpty()
                        || options.includePools().contains(p.id())
                        || options.includePools().contains(p.name()))
                .sorted(Comparator.comparing(PoolEntry::id))
                .toList();
        Names poolNames = new Names("IpPool", notes);
        Map<String, String> poolOfDomain = new HashMap<>();
        Map<String, String> resourceOfPool = new HashMap<>();
        for (PoolEntry pool : chosen) {
            String name = poolNames.claim(pool.name(), pool.id());
            resourceOfPool.put(pool.id(), name);
            out.add(ipPool(name, pool, options, notes));
        }
        for (PoolEntry pool : pools) {
            pool.linkedDomains().forEach(d -> poolOfDomain.putIfAbsent(d, pool.id()));
        }
        Names bindingNames = new Names("DomainPoolBinding", notes);
        domains.stream()
                .filter(d -> options.includeDomains().isEmpty()
                        || options.includeDomains().contains(d.name()))
                .sorted(Comparator.comparing(DomainEntry::name))
                .forEach(domain -> {
                    String poolId = poolOfDomain.get(domain.name());
                    DomainPoolBindingSpec spec;
                    if (poolId != null) {
                        String ref = resourceOfPool.get(poolId);
                        spec = new DomainPoolBindingSpec(
                                domain.name(),
                                ref == null ? null : new PoolReference(ref),
                                ref == null ? poolId : null,
                                null,
                                accountRef(options),
                                null,
                                OnDelete.ORPHAN,
                                null);
                    } else if (!domain.dedicatedIps().isEmpty()) {
                        spec = new DomainPoolBindingSpec(
                                domain.name(),
                                null,
                                null,
                                sortedIps(domain.dedicatedIps()),
                                accountRef(options),
                                null,
                                OnDelete.ORPHAN,
                                null);
                    } else {
                        notes.add("domain " + domain.name()
                                + " skipped: it is linked to no pool and holds no dedicated IP");
                        return;
                    }
                    DomainPoolBinding binding = new DomainPoolBinding();
                    binding.setMetadata(meta(bindingNames.claim(domain.name(), null), options));
                    binding.setSpec(spec);
                    out.add(binding);
                });
        return new Result(List.copyOf(out), List.copyOf(notes));
    }

    /** Multi-document YAML, as {@code kubectl get -o yaml} prints objects. */
    public static String yaml(List<HasMetadata> resources) {
        StringBuilder out = new StringBuilder();
        for (HasMetadata resource : resources) {
            String document = ManifestReader.SERIALIZATION.asYaml(resource);
            out.append(document.startsWith("---") ? document : "---\n" + document);
            if (!document.endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** A file name for one resource in {@code --output-dir}. */
    public static String fileName(HasMetadata resource) {
        String kind = resource instanceof IpPool ? "ippool" : "domainpoolbinding";
        return kind + "-" + resource.getMetadata().getName() + ".yaml";
    }

    private static IpPool ipPool(String name, PoolEntry pool, Options options, List<String> notes) {
        String text = OwnershipMarker.userText(pool.description());
        if (text.isEmpty()) {
            notes.add("pool " + pool.id() + " has no description of its own: the operator would write"
                    + " its default one unless you give spec.description");
        }
        List<String> delegated =
                pool.delegatedTo() == null || pool.delegatedTo().isEmpty()
                        ? null
                        : List.copyOf(new TreeSet<>(pool.delegatedTo()));
        IpPoolSpec spec = new IpPoolSpec(
                pool.name(),
                text.isEmpty() ? null : text,
                sortedIps(pool.ips()),
                pool.inherited() ? null : delegated,
                pool.id(),
                accountRef(options),
                pool.inherited() ? ManagementPolicy.OBSERVE : null,
                DeletionPolicy.ORPHAN,
                null);
        IpPool resource = new IpPool();
        resource.setMetadata(meta(name, options));
        resource.setSpec(spec);
        return resource;
    }

    private static ObjectMeta meta(String name, Options options) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(options.namespace())
                .build();
    }

    private static AccountReference accountRef(Options options) {
        return options.accountRef() == null ? null : new AccountReference(options.accountRef());
    }

    private static List<String> sortedIps(List<String> ips) {
        List<String> sorted = new ArrayList<>(ips);
        sorted.sort(IpAddresses.ORDER);
        return sorted;
    }

    /** Valid, unique Kubernetes names per kind, given out in call order. */
    private static final class Names {
        private final String kind;
        private final List<String> notes;
        private final Set<String> taken = new HashSet<>();

        Names(String kind, List<String> notes) {
            this.kind = kind;
            this.notes = notes;
        }

        String claim(String mailgunName, String id) {
            String base = kubernetesName(mailgunName, id);
            String name = base;
            for (int n = 2; taken.contains(name); n++) {
                String suffix =
                        "-" + (id != null && n == 2 ? id.substring(Math.max(0, id.length() - 6)) : Integer.toString(n));
                name = trim(base, MAX_NAME - suffix.length()) + suffix;
            }
            taken.add(name);
            if (!name.equals(mailgunName)) {
                notes.add(kind + " " + name + " is named after \"" + mailgunName + "\""
                        + (name.equals(base) ? " (not a valid Kubernetes name)" : " (name taken)"));
            }
            return name;
        }
    }

    /**
     * A DNS subdomain name (RFC 1123) from any text: lowercase, each dot-separated label reduced to
     * letters, digits and single dashes; an empty result becomes {@code pool-<id>}.
     */
    static String kubernetesName(String text, String id) {
        String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
        String name = Arrays.stream(lower.split("\\."))
                .map(label -> label.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", ""))
                .filter(label -> !label.isEmpty())
                .collect(Collectors.joining("."));
        if (name.isEmpty()) {
            name = id == null ? "unnamed" : "pool-" + id.toLowerCase(Locale.ROOT);
        }
        return trim(name, MAX_NAME);
    }

    private static String trim(String name, int max) {
        String cut = name.length() <= max ? name : name.substring(0, max);
        return cut.replaceAll("[-.]+$", "");
    }
}
