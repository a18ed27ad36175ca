package dev.ippools.mailgun.plan;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.PSortedMap;
import org.pcollections.PSortedSet;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * An account's desired pools or bindings, immutable, in key order, with the lookups plans make kept
 * along. The operator changes one record of thousands when a resource changes, so these are
 * persistent maps changed by {@link #with} and {@link #without} instead of a list and indexes made
 * again for every change: that rebuild was the planner's largest cost at 6,000 resources.
 *
 * @param <D> {@link DesiredPool} or {@link DesiredBinding}
 */
public final class DesiredRecords<D> extends AbstractList<D> {

    private static final DesiredRecords<DesiredPool> NO_POOLS =
            new DesiredRecords<>(DesiredPool::key, TreePMap.empty(), HashTreePMap.empty());
    private static final DesiredRecords<DesiredBinding> NO_BINDINGS =
            new DesiredRecords<>(DesiredBinding::key, TreePMap.empty(), HashTreePMap.empty());

    private final Function<D, ResourceKey> keyOf;
    private final PSortedMap<ResourceKey, D> byKey;
    private final PMap<Object, PSortedSet<ResourceKey>> keysByTerm;
    // Plans iterate; positional access (List.equals, a caller's get(i)) gets an array once.
    private volatile Object[] inOrder;

    private DesiredRecords(
            Function<D, ResourceKey> keyOf,
            PSortedMap<ResourceKey, D> byKey,
            PMap<Object, PSortedSet<ResourceKey>> keysByTerm) {
        this.keyOf = keyOf;
        this.byKey = byKey;
        this.keysByTerm = keysByTerm;
    }

    public static DesiredRecords<DesiredPool> noPools() {
        return NO_POOLS;
    }

    public static DesiredRecords<DesiredBinding> noBindings() {
        return NO_BINDINGS;
    }

    /** These records with {@code record} in place of any of the same key. */
    public DesiredRecords<D> with(D record) {
        ResourceKey key = keyOf.apply(record);
        D replaced = byKey.get(key);
        if (record.equals(replaced)) {
            return this;
        }
        PMap<Object, PSortedSet<ResourceKey>> terms =
                replaced == null ? keysByTerm : untermed(keysByTerm, key, replaced);
        for (Object term : DesiredIndex.termsOf(record)) {
            PSortedSet<ResourceKey> keys = terms.get(term);
            terms = terms.plus(term, (keys == null ? TreePSet.<ResourceKey>empty() : keys).plus(key));
        }
        return new DesiredRecords<>(keyOf, byKey.plus(key, record), terms);
    }

    /** These records without the one with {@code record}'s key. */
    public DesiredRecords<D> without(D record) {
        ResourceKey key = keyOf.apply(record);
        D gone = byKey.get(key);
        if (gone == null) {
            return this;
        }
        return new DesiredRecords<>(keyOf, byKey.minus(key), untermed(keysByTerm, key, gone));
    }

    private static PMap<Object, PSortedSet<ResourceKey>> untermed(
            PMap<Object, PSortedSet<ResourceKey>> terms, ResourceKey key, Object record) {
        for (Object term : DesiredIndex.termsOf(record)) {
            PSortedSet<ResourceKey> keys = terms.get(term);
            if (keys != null) {
                PSortedSet<ResourceKey> rest = keys.minus(key);
                terms = rest.isEmpty() ? terms.minus(term) : terms.plus(term, rest);
            }
        }
        return terms;
    }

    /** The record with this key. */
    D get(ResourceKey key) {
        return byKey.get(key);
    }

    /** The records a term of {@link DesiredIndex#termsOf} names, in key order. */
    List<D> withTerm(Object term) {
        PSortedSet<ResourceKey> keys = keysByTerm.get(term);
        if (keys == null) {
            return List.of();
        }
        List<D> found = new ArrayList<>(keys.size());
        keys.forEach(k -> found.add(byKey.get(k)));
        return found;
    }

    @Override
    public Iterator<D> iterator() {
        return byKey.values().iterator();
    }

    /** By position: the records are laid out in an array on the first such access. */
    @Override
    public D get(int index) {
        Object[] array = inOrder;
        if (array == null) {
            array = byKey.values().toArray();
            inOrder = array;
        }
        @SuppressWarnings("unchecked")
        D record = (D) array[Objects.checkIndex(index, array.length)];
        return record;
    }

    @Override
    public int size() {
        return byKey.size();
    }
}
