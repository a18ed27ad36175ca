package dev.ippools.mailgun.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StrayPoolsTest {

    static final String UID = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";

    static ObservedPool pool(String id, String uid, Set<String> ips, boolean linked) {
        String description = uid == null ? "hand made" : OwnershipMarker.stamp("senders", uid);
        return new ObservedPool(id, "p" + id, description, ips, false, linked, null);
    }

    static DesiredPool desired(String uid, String recordedId) {
        return new DesiredPool(
                new ResourceKey("default", "a"),
                uid,
                Instant.EPOCH,
                null,
                null,
                Set.of(),
                Set.of(),
                null,
                recordedId,
                ManagementPolicy.MANAGE,
                false,
                DesiredPool.DeletionPolicy.DELETE,
                null);
    }

    static PlanningContext context(List<DesiredPool> pools, ObservedPool... observed) {
        Map<String, ObservedPool> byId = new LinkedHashMap<>();
        for (ObservedPool p : observed) {
            byId.put(p.id(), p);
        }
        return new PlanningContext(new ObservedAccount(byId, Map.of(), true, Map.of(), Map.of()), pools, List.of());
    }

    @Test
    void aSecondMarkedPoolOfAnIpPoolIsADuplicateAndRemovableOnlyWhenEmptyAndUnlinked() {
        ObservedPool owned = pool("01", UID, Set.of("198.51.100.10"), true);
        ObservedPool emptyCopy = pool("02", UID, Set.of(), false);
        ObservedPool fullCopy = pool("03", UID, Set.of("198.51.100.11"), false);
        ObservedPool foreign = pool("04", null, Set.of(), false);
        PlanningContext ctx = context(List.of(desired(UID, "01")), owned, emptyCopy, fullCopy, foreign);

        assertThat(StrayPools.duplicates(ctx)).containsExactly(emptyCopy, fullCopy);
        assertThat(StrayPools.removable(emptyCopy, ctx)).isTrue();
        assertThat(StrayPools.removable(fullCopy, ctx)).isFalse();
        assertThat(StrayPools.keptBecause(fullCopy, ctx)).contains("198.51.100.11");
        assertThat(StrayPools.orphans(ctx, Set.of(UID))).isEmpty();
    }

    @Test
    void withoutARecordedIdTheLowestMarkedPoolIsOwnedAndTheOthersAreDuplicates() {
        ObservedPool first = pool("01", UID, Set.of(), false);
        ObservedPool second = pool("02", UID, Set.of(), false);
        PlanningContext ctx = context(List.of(desired(UID, null)), first, second);

        assertThat(StrayPools.duplicates(ctx)).containsExactly(second);
    }

    @Test
    void markedPoolsOfUnknownIpPoolsAreOrphansAndLinkedOnesAreKept() {
        ObservedPool orphan = pool("05", "gone-uid", Set.of(), false);
        ObservedPool linkedOrphan = pool("06", "gone-uid", Set.of(), true);
        ObservedPool handMade = pool("07", null, Set.of(), false);
        PlanningContext ctx = context(List.of(), orphan, linkedOrphan, handMade);

        assertThat(StrayPools.orphans(ctx, Set.of(UID))).containsExactly(orphan, linkedOrphan);
        assertThat(StrayPools.removable(linkedOrphan, ctx)).isFalse();
        assertThat(StrayPools.keptBecause(linkedOrphan, ctx)).isEqualTo("domains are linked to it");
    }
}
