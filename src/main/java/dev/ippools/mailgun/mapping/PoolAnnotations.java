package dev.ippools.mailgun.mapping;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The bookkeeping of crash-safe creation on an IpPool's annotations (architecture §4 rule 6): the
 * create intent written before the POST, the pool id written right after it. Annotations survive a
 * backup/restore that loses status; they are hints for finding the pool, never proof of owning
 * it (the marker in Mailgun is).
 */
public final class PoolAnnotations {

    private PoolAnnotations() {}

    /** The pool id recorded by the operator: the annotation first (it survives restores). */
    public static String recordedPoolId(IpPool pool) {
        String fromAnnotation = annotation(pool, ApiConstants.POOL_ID_ANNOTATION);
        if (fromAnnotation != null && !fromAnnotation.isBlank()) {
            return fromAnnotation;
        }
        return pool.getStatus() == null ? null : pool.getStatus().poolId();
    }

    /** Whether the pool id annotation already says {@code poolId}. */
    public static boolean recordsPoolId(IpPool pool, String poolId) {
        return poolId.equals(annotation(pool, ApiConstants.POOL_ID_ANNOTATION));
    }

    /** Whether a create was about to be sent and its pool id was not recorded yet. */
    public static boolean hasCreateIntent(IpPool pool) {
        return annotation(pool, ApiConstants.CREATE_INTENT_ANNOTATION) != null;
    }

    /**
     * When the pending create was about to be sent; an unreadable value counts as long ago (the
     * annotation is only a hint, and a wait that never ends would block the pool for good).
     */
    public static Optional<Instant> createIntentAt(IpPool pool) {
        String value = annotation(pool, ApiConstants.CREATE_INTENT_ANNOTATION);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.of(Instant.EPOCH);
        }
    }

    /** Forgets a create intent: the create certainly did not happen. */
    public static void clearCreateIntent(IpPool pool) {
        Map<String, String> a = copy(pool);
        a.remove(ApiConstants.CREATE_INTENT_ANNOTATION);
        pool.getMetadata().setAnnotations(a);
    }

    /** Marks that a create is about to be sent, at {@code when}. */
    public static void markCreateIntent(IpPool pool, Instant when) {
        Map<String, String> a = copy(pool);
        a.put(ApiConstants.CREATE_INTENT_ANNOTATION, when.toString());
        pool.getMetadata().setAnnotations(a);
    }

    /** Records the pool id; the create intent it resolves goes. */
    public static void recordPoolId(IpPool pool, String poolId) {
        Map<String, String> a = copy(pool);
        a.put(ApiConstants.POOL_ID_ANNOTATION, poolId);
        a.remove(ApiConstants.CREATE_INTENT_ANNOTATION);
        pool.getMetadata().setAnnotations(a);
    }

    /** IPs whose warm-up the operator started for this pool (spec.warmup: Start). */
    public static Set<String> warmupsStarted(IpPool pool) {
        String value = annotation(pool, ApiConstants.WARMUPS_STARTED_ANNOTATION);
        Set<String> out = new LinkedHashSet<>();
        if (value != null) {
            for (String ip : value.split(",")) {
                if (!ip.isBlank()) {
                    out.add(ip.trim());
                }
            }
        }
        return out;
    }

    /** Records that the operator is about to start {@code ip}'s warm-up. */
    public static void markWarmupStarted(IpPool pool, String ip) {
        Set<String> started = warmupsStarted(pool);
        started.add(ip);
        Map<String, String> a = copy(pool);
        a.put(ApiConstants.WARMUPS_STARTED_ANNOTATION, String.join(",", started));
        pool.getMetadata().setAnnotations(a);
    }

    /**
     * Takes {@code ip} out of the record: its start surely did not reach Mailgun, or the operator is
     * about to cancel it.
     */
    public static void forgetWarmupStarted(IpPool pool, String ip) {
        Set<String> started = warmupsStarted(pool);
        started.remove(ip);
        Map<String, String> a = copy(pool);
        if (started.isEmpty()) {
            a.remove(ApiConstants.WARMUPS_STARTED_ANNOTATION);
        } else {
            a.put(ApiConstants.WARMUPS_STARTED_ANNOTATION, String.join(",", started));
        }
        pool.getMetadata().setAnnotations(a);
    }

    private static String annotation(IpPool pool, String key) {
        Map<String, String> a = pool.getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }

    private static Map<String, String> copy(IpPool pool) {
        Map<String, String> a = pool.getMetadata().getAnnotations();
        return a == null ? new HashMap<>() : new HashMap<>(a);
    }
}
