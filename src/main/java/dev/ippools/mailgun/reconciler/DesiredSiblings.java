package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.AccountKey;
import dev.ippools.mailgun.api.v1alpha1.AccountReference;
import dev.ippools.mailgun.mapping.KindRules;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The planner records of one informer's resources, grouped by Mailgun account, kept from one
 * reconcile to the next. Every plan looks at all siblings of its account; remapping and resolving
 * thousands of them on each of thousands of reconciles was most of the operator's CPU at scale.
 * A resource the informer still holds as the same object keeps its record, and a changed object
 * (a status write, say) whose record is equal keeps the old record too, so an account's list
 * stays the same instance while its desired state is unchanged and indexes built on it are reused.
 *
 * @param <R> the custom resource
 * @param <D> its planner record
 */
final class DesiredSiblings<R extends HasMetadata, D> {

    /** Where a resource's credentials come from: its namespace and spec.accountRef. */
    private record Scope(String namespace, AccountReference ref) {}

    private final Function<R, D> mapper;
    private final BiFunction<String, AccountReference, AccountKey> resolver;
    private Object[] resources = new Object[0];
    private Object[] records = new Object[0];
    private AccountKey[] keys = new AccountKey[0];
    private Map<Scope, AccountKey> resolved = Map.of();
    private Map<AccountKey, List<D>> byAccount = Map.of();
    private long builtAt = -1;

    /**
     * @param mapper the (cached) planner record of a resource
     * @param resolver the account a namespace and accountRef resolve to (null: none)
     */
    DesiredSiblings(Function<R, D> mapper, BiFunction<String, AccountReference, AccountKey> resolver) {
        this.mapper = mapper;
        this.resolver = resolver;
    }

    /**
     * The records of the resources that resolve to {@code account}, in the informer's order.
     *
     * @param changes the informer's change count, read before {@code current} lists it: while it
     *     stays the same (and no Secret moved a resource to another account) nothing is listed
     */
    synchronized List<D> of(AccountKey account, long changes, Supplier<Stream<R>> current) {
        Map<Scope, AccountKey> resolving = new HashMap<>();
        // A Secret changed since: every resource's account is resolved again.
        boolean sameResolutions = resolved.entrySet().stream()
                .allMatch(e -> Objects.equals(resolve(e.getKey(), resolving), e.getValue()));
        if (changes == builtAt && sameResolutions) {
            return byAccount.getOrDefault(account, List.of());
        }
        List<R> now = current.get().toList();
        boolean changed = now.size() != resources.length || !sameResolutions;
        Object[] nextResources = new Object[now.size()];
        Object[] nextRecords = new Object[now.size()];
        AccountKey[] nextKeys = new AccountKey[now.size()];
        for (int i = 0; i < nextResources.length; i++) {
            R r = now.get(i);
            nextResources[i] = r;
            boolean samePlace = i < resources.length;
            if (samePlace && sameResolutions && resources[i] == r) {
                nextRecords[i] = records[i];
                nextKeys[i] = keys[i];
                continue;
            }
            Object before = samePlace ? records[i] : null;
            D record = mapper.apply(r);
            nextRecords[i] = record.equals(before) ? before : record;
            nextKeys[i] = resolve(new Scope(r.getMetadata().getNamespace(), KindRules.accountRef(r)), resolving);
            changed |= nextRecords[i] != before || !samePlace || !Objects.equals(nextKeys[i], keys[i]);
        }
        resources = nextResources;
        if (changed) {
            records = nextRecords;
            keys = nextKeys;
            byAccount = group(byAccount);
        }
        resolved = resolving;
        builtAt = changes;
        return byAccount.getOrDefault(account, List.of());
    }

    private AccountKey resolve(Scope scope, Map<Scope, AccountKey> resolving) {
        if (resolving.containsKey(scope)) {
            return resolving.get(scope);
        }
        AccountKey key = resolver.apply(scope.namespace(), scope.ref());
        resolving.put(scope, key);
        return key;
    }

    /** The records by account; an account whose records are the same objects keeps its list. */
    @SuppressWarnings("unchecked")
    private Map<AccountKey, List<D>> group(Map<AccountKey, List<D>> before) {
        Map<AccountKey, List<D>> grouped = new LinkedHashMap<>();
        for (int i = 0; i < records.length; i++) {
            if (keys[i] != null) {
                grouped.computeIfAbsent(keys[i], k -> new ArrayList<>()).add((D) records[i]);
            }
        }
        Map<AccountKey, List<D>> out = new HashMap<>();
        grouped.forEach((key, list) -> {
            List<D> old = before.get(key);
            out.put(key, old != null && sameElements(old, list) ? old : List.copyOf(list));
        });
        return out;
    }

    private static boolean sameElements(List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }
}
