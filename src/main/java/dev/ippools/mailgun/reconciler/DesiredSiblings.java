package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.AccountKey;
import dev.ippools.mailgun.api.v1alpha1.AccountReference;
import dev.ippools.mailgun.mapping.KindRules;
import dev.ippools.mailgun.plan.DesiredRecords;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The planner records of one informer's resources, grouped by Mailgun account and kept from one
 * reconcile to the next. Every plan looks at all siblings of its account; remapping and resolving
 * thousands of them on each of thousands of reconciles was most of the operator's CPU at scale.
 * Only the resources the informer reports as changed are mapped again, and an account's records
 * change by those only (persistent {@link DesiredRecords}, which carry the planner's lookups): a
 * status write leaves the record equal and the instance the same.
 *
 * @param <R> the custom resource
 * @param <D> its planner record
 */
final class DesiredSiblings<R extends HasMetadata, D> {

    /** Where a resource's credentials come from: its namespace and spec.accountRef. */
    private record Scope(String namespace, AccountReference ref) {}

    private record Entry<D>(D record, Scope scope, AccountKey account) {}

    private final ChangeTrackingCache<R> cache;
    private final Predicate<R> include;
    private final Function<R, D> mapper;
    private final BiFunction<String, AccountReference, AccountKey> resolver;
    private final Set<ResourceID> changed;
    private final Map<ResourceID, Entry<D>> entries = new LinkedHashMap<>();
    private final DesiredRecords<D> none;
    private final Map<AccountKey, DesiredRecords<D>> byAccount = new HashMap<>();
    private Map<Scope, AccountKey> resolved = new HashMap<>();
    private boolean loaded;

    /**
     * @param none no records of this kind
     * @param include which resources are planned at all
     * @param mapper the (cached) planner record of a resource
     * @param resolver the account a namespace and accountRef resolve to (null: none)
     */
    DesiredSiblings(
            ChangeTrackingCache<R> cache,
            DesiredRecords<D> none,
            Predicate<R> include,
            Function<R, D> mapper,
            BiFunction<String, AccountReference, AccountKey> resolver) {
        this.cache = cache;
        this.none = none;
        this.include = include;
        this.mapper = mapper;
        this.resolver = resolver;
        this.changed = cache.newReader();
    }

    /** The records of the resources that resolve to {@code account}. */
    synchronized List<D> of(AccountKey account) {
        if (!loaded) {
            // Changes reported from now on may be in this listing too; applying them again is harmless.
            loaded = true;
            changed.clear();
            cache.list().forEach(r -> update(ResourceID.fromResource(r), r));
        } else {
            for (Iterator<ResourceID> it = changed.iterator(); it.hasNext(); ) {
                ResourceID id = it.next();
                it.remove();
                update(id, cache.get(id).orElse(null));
            }
        }
        reresolveIfSecretsChanged();
        return byAccount.getOrDefault(account, none);
    }

    private void update(ResourceID id, R resource) {
        Entry<D> before = entries.get(id);
        if (resource == null || !include.test(resource)) {
            if (before != null) {
                entries.remove(id);
                remove(before);
            }
            return;
        }
        D record = mapper.apply(resource);
        Scope scope = new Scope(resource.getMetadata().getNamespace(), KindRules.accountRef(resource));
        AccountKey account = resolve(scope);
        if (before != null && before.record().equals(record) && Objects.equals(before.account(), account)) {
            return;
        }
        Entry<D> now = new Entry<>(record, scope, account);
        entries.put(id, now);
        if (before != null && !Objects.equals(before.account(), account)) {
            remove(before);
        }
        add(now);
    }

    private void add(Entry<D> e) {
        if (e.account() != null) {
            byAccount.put(e.account(), byAccount.getOrDefault(e.account(), none).with(e.record()));
        }
    }

    private void remove(Entry<D> e) {
        if (e.account() != null) {
            DesiredRecords<D> rest = byAccount.getOrDefault(e.account(), none).without(e.record());
            if (rest.isEmpty()) {
                byAccount.remove(e.account());
            } else {
                byAccount.put(e.account(), rest);
            }
        }
    }

    /** A Secret changed (a key, a base URL): every resource's account is resolved again. */
    private void reresolveIfSecretsChanged() {
        Map<Scope, AccountKey> now = new HashMap<>();
        resolved.keySet().forEach(s -> now.put(s, resolver.apply(s.namespace(), s.ref())));
        if (now.equals(resolved)) {
            return;
        }
        resolved = now;
        entries.replaceAll((id, e) -> {
            AccountKey account = resolve(e.scope());
            if (Objects.equals(account, e.account())) {
                return e;
            }
            Entry<D> moved = new Entry<>(e.record(), e.scope(), account);
            remove(e);
            add(moved);
            return moved;
        });
    }

    private AccountKey resolve(Scope scope) {
        if (resolved.containsKey(scope)) {
            return resolved.get(scope);
        }
        AccountKey key = resolver.apply(scope.namespace(), scope.ref());
        resolved.put(scope, key);
        return key;
    }
}
