package dev.ippools.mailgun.mapping;

import dev.ippools.mailgun.api.v1alpha1.AccountReference;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.plan.DesiredBinding;
import dev.ippools.mailgun.plan.DesiredPool;
import dev.ippools.mailgun.plan.ManagementPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The rules per kind that the operator and the preview ({@code plan}) both apply, kept once so
 * the two cannot drift apart.
 */
public final class KindRules {

    private KindRules() {}

    /** Whether deleting the IpPool must change Mailgun (false: Retain, or Observe). */
    public static boolean writesOnDelete(DesiredPool pool) {
        return pool.deletionPolicy() == DesiredPool.DeletionPolicy.DELETE && pool.policy() == ManagementPolicy.MANAGE;
    }

    /**
     * Whether deleting the IpPool calls Mailgun at all: a deletion, or under Orphan the one PATCH
     * that removes the ownership marker from the pool it leaves.
     */
    public static boolean callsMailgunOnDelete(DesiredPool pool) {
        return pool.policy() == ManagementPolicy.MANAGE;
    }

    /** Whether deleting the binding must change Mailgun (false: Orphan, or Observe). */
    public static boolean writesOnDelete(DesiredBinding binding) {
        return binding.onDelete() != DesiredBinding.OnDelete.ORPHAN && binding.policy() == ManagementPolicy.MANAGE;
    }

    /**
     * No create was ever sent (the intent is recorded before every POST), no pool id was recorded
     * and none is adopted: no Mailgun pool can belong to this IpPool.
     */
    public static boolean noPoolWasEverCreated(IpPool resource, DesiredPool pool) {
        return pool.recordedPoolId() == null
                && pool.adoptPoolId() == null
                && !PoolAnnotations.hasCreateIntent(resource);
    }

    /** {@code spec.accountRef} of an IpPool or DomainPoolBinding, or null. */
    public static AccountReference accountRef(HasMetadata resource) {
        if (resource instanceof IpPool p) {
            return p.getSpec() == null ? null : p.getSpec().accountRef();
        }
        if (resource instanceof DomainPoolBinding b) {
            return b.getSpec() == null ? null : b.getSpec().accountRef();
        }
        return null;
    }
}
