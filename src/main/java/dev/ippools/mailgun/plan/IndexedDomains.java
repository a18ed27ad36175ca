package dev.ippools.mailgun.plan;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import java.util.AbstractMap;
import java.util.Locale;
import java.util.Set;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.PSortedSet;
import org.pcollections.TreePSet;

/**
 * An account view's domains by name, immutable, with the lookups plans make kept along: by pool
 * linked and ignoring case. A view made from the last one changes a few domains of thousands, so
 * these are persistent maps changed by {@link #with} and {@link #without} instead of indexes built
 * again for every view.
 */
public final class IndexedDomains extends AbstractMap<String, ObservedDomain> {

    public static final IndexedDomains EMPTY =
            new IndexedDomains(HashTreePMap.empty(), HashTreePMap.empty(), HashTreePMap.empty(), HashTreePMap.empty());

    private final PMap<String, ObservedDomain> byName;
    private final PMap<String, PSortedSet<String>> namesByPool;
    // One spelling per lowercase name; further spellings of it (rare) aside, to take its place.
    private final PMap<String, String> nameByLowercase;
    private final PMap<String, PSortedSet<String>> otherSpellings;

    private IndexedDomains(
            PMap<String, ObservedDomain> byName,
            PMap<String, PSortedSet<String>> namesByPool,
            PMap<String, String> nameByLowercase,
            PMap<String, PSortedSet<String>> otherSpellings) {
        this.byName = byName;
        this.namesByPool = namesByPool;
        this.nameByLowercase = nameByLowercase;
        this.otherSpellings = otherSpellings;
    }

    /** These domains with {@code domain} in place of any of the same name. */
    public IndexedDomains with(ObservedDomain domain) {
        ObservedDomain replaced = byName.get(domain.name());
        PMap<String, PSortedSet<String>> byPool = unlinked(namesByPool, replaced);
        if (domain.linkedPoolId() != null) {
            PSortedSet<String> names = byPool.get(domain.linkedPoolId());
            byPool = byPool.plus(
                    domain.linkedPoolId(), (names == null ? TreePSet.<String>empty() : names).plus(domain.name()));
        }
        PMap<String, ObservedDomain> names = byName.plus(domain.name(), domain);
        if (replaced != null) {
            return new IndexedDomains(names, byPool, nameByLowercase, otherSpellings);
        }
        String lower = domain.name().toLowerCase(Locale.ROOT);
        if (!nameByLowercase.containsKey(lower)) {
            return new IndexedDomains(names, byPool, nameByLowercase.plus(lower, domain.name()), otherSpellings);
        }
        PSortedSet<String> others = otherSpellings.get(lower);
        return new IndexedDomains(
                names,
                byPool,
                nameByLowercase,
                otherSpellings.plus(lower, (others == null ? TreePSet.<String>empty() : others).plus(domain.name())));
    }

    /** These domains without the one of this name. */
    public IndexedDomains without(String name) {
        ObservedDomain gone = byName.get(name);
        if (gone == null) {
            return this;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        PMap<String, String> lowercase = nameByLowercase;
        PSortedSet<String> extra = otherSpellings.get(lower);
        if (name.equals(lowercase.get(lower))) {
            if (extra == null) {
                lowercase = lowercase.minus(lower);
            } else {
                lowercase = lowercase.plus(lower, extra.first());
                extra = extra.minus(extra.first());
            }
        } else if (extra != null) {
            extra = extra.minus(name);
        }
        PMap<String, PSortedSet<String>> others =
                extra == null || extra.isEmpty() ? otherSpellings.minus(lower) : otherSpellings.plus(lower, extra);
        return new IndexedDomains(byName.minus(name), unlinked(namesByPool, gone), lowercase, others);
    }

    private static PMap<String, PSortedSet<String>> unlinked(
            PMap<String, PSortedSet<String>> byPool, ObservedDomain domain) {
        if (domain == null || domain.linkedPoolId() == null) {
            return byPool;
        }
        PSortedSet<String> rest = byPool.get(domain.linkedPoolId()).minus(domain.name());
        return rest.isEmpty() ? byPool.minus(domain.linkedPoolId()) : byPool.plus(domain.linkedPoolId(), rest);
    }

    /** Names of the domains linked to this pool, sorted; empty if none. */
    public Set<String> linkedTo(String poolId) {
        PSortedSet<String> names = namesByPool.get(poolId);
        return names == null ? Set.of() : names;
    }

    /** A domain by name, ignoring case. */
    public ObservedDomain ignoringCase(String name) {
        ObservedDomain exact = byName.get(name);
        if (exact != null) {
            return exact;
        }
        String spelled = nameByLowercase.get(name.toLowerCase(Locale.ROOT));
        return spelled == null ? null : byName.get(spelled);
    }

    @Override
    public ObservedDomain get(Object name) {
        return byName.get(name);
    }

    @Override
    public boolean containsKey(Object name) {
        return byName.containsKey(name);
    }

    @Override
    public int size() {
        return byName.size();
    }

    @Override
    public Set<Entry<String, ObservedDomain>> entrySet() {
        return byName.entrySet();
    }
}
