package dev.ippools.mailgun.plan;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.Plan.Problem;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Plans a deleted IpPool for {@link PoolPlanner} (planning rule 5, architecture §4): left in place
 * under Observe or Orphan, shared or inherited; waits while bindings use it; else emptied or
 * deleted with its replacement.
 */
final class PoolDeletionPlanner {

    private PoolDeletionPlanner() {}

    static Plan plan(DesiredPool pool, PlanningContext ctx) {
        PlanBuilder out = new PlanBuilder();
        Optional<ObservedPool> owned = ctx.ownedPool(pool);
        out.poolId(owned.map(ObservedPool::id).orElse(null));
        if (!PoolPlanner.isManaged(pool)) {
            return out.note("managementPolicy Observe: the Mailgun pool is left as it is")
                    .deletion();
        }
        if (PoolPlanner.orphans(pool)) {
            // the pool stays, without this IpPool's marker: clean for a later import or another owner
            owned.filter(p -> !p.inherited()
                            && OwnershipMarker.ownerUid(p.description())
                                    .filter(u -> u.equals(pool.uid()))
                                    .isPresent())
                    .ifPresent(p -> out.step(new MailgunStep.UpdatePool(p.id(), null, unmarked(p))));
            return out.note(owned.map(p -> "deletionPolicy Orphan: pool " + p.id() + " stays in Mailgun")
                            .orElse("deletionPolicy Orphan: nothing is deleted in Mailgun"))
                    .deletion();
        }
        if (owned.isEmpty()) {
            boolean everHadOne = pool.recordedPoolId() != null || pool.adoptPoolId() != null;
            return out.note(
                            everHadOne
                                    ? "the Mailgun pool is already gone"
                                    : "no Mailgun pool was created; nothing to delete")
                    .deletion();
        }
        ObservedPool observed = owned.get();
        Optional<DesiredPool> coOwner = ctx.owners(observed).stream()
                .filter(p -> !p.key().equals(pool.key()) && !p.deleting())
                .findFirst();
        if (coOwner.isPresent()) {
            return out.note("pool "
                            + observed.id()
                            + " is also managed by IpPool "
                            + coOwner.get().key()
                            + "; left in place")
                    .deletion();
        }
        if (observed.inherited()) {
            return out.note("pool "
                            + observed.id()
                            + " is inherited from the parent account and read-only;"
                            + " left in place")
                    .deletion();
        }
        List<DesiredBinding> users = ctx.bindingsReferencing(pool).stream()
                .filter(b -> !b.deleting())
                .toList();
        if (!users.isEmpty()) {
            users.forEach(b -> out.waitFor(
                    b.key().toString(),
                    "still used by DomainPoolBinding " + b.key() + "; delete it or point it at another pool first"));
            return out.deletion();
        }
        String id = observed.id();
        if (observed.ips().isEmpty()) {
            return out.step(new MailgunStep.DeletePool(id, null, null)).deletion();
        }
        Replacement replacement = pool.replacement();
        if (replacement == null) {
            if (ctx.isLinked(observed)) {
                Set<String> domains = ctx.linkedDomainNames(observed);
                return out.waitFor(
                                null,
                                "pool "
                                        + id
                                        + " still has IPs and linked domains"
                                        + (domains.isEmpty() ? "" : " (" + String.join(", ", domains) + ")")
                                        + ": set spec.replacement.poolRef.name, spec.replacement.poolId or"
                                        + " spec.replacement.ip (\"shared\" for a shared IP) so Mailgun knows where"
                                        + " to move them")
                        .deletion();
            }
            // Mailgun deletes a pool without a replacement only when it is empty
            observed.ips().stream()
                    .sorted(IpAddresses.ORDER)
                    .forEach(ip -> out.step(new MailgunStep.RemovePoolIp(id, ip)));
            return out.step(new MailgunStep.DeletePool(id, null, null)).deletion();
        }
        List<Problem> shape =
                SpecValidator.validateReplacement(replacement, pool.key().name());
        if (!shape.isEmpty()) {
            return out.problems(shape).deletion();
        }
        Replacements.Resolved resolved =
                Replacements.resolve(replacement, pool.key().namespace(), id, ctx, true);
        if (resolved.problem() != null) {
            return out.problems(List.of(resolved.problem())).deletion();
        }
        if (resolved.waitFor() != null) {
            return out.waits(List.of(resolved.waitFor())).deletion();
        }
        return out.step(new MailgunStep.DeletePool(id, resolved.ip(), resolved.poolId()))
                .deletion();
    }

    /** The description without the marker; Mailgun needs one, so an empty text becomes the name. */
    private static String unmarked(ObservedPool pool) {
        String text = OwnershipMarker.userText(pool.description());
        return text.isEmpty() ? pool.name() : text;
    }
}
