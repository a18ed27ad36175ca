package dev.ippools.mailgun.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.account.Watcher.Change;
import dev.ippools.mailgun.plan.ResourceKey;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WatchersTest {

    private final Watchers watchers = new Watchers();

    private static Watcher binding(String name, String... domains) {
        return new Watcher(
                "DomainPoolBinding", new ResourceKey("mail", name), Set.of(), Set.of(), Set.of(domains), false);
    }

    @Test
    void findsTheWatchersOfSettledDomainsAsTheyChangeWhatTheyWatch() {
        watchers.watch(binding("a", "a.example.com"));
        watchers.watch(binding("b", "b.example.com"));
        watchers.watch(binding("both", "a.example.com", "b.example.com"));

        assertThat(watchers.watchingAnyOf(Set.of("a.example.com")))
                .extracting(w -> w.key().name())
                .containsExactlyInAnyOrder("a", "both");

        // a watcher replaces what the resource watched before
        watchers.watch(binding("a", "c.example.com"));
        assertThat(watchers.watchingAnyOf(Set.of("a.example.com")))
                .extracting(w -> w.key().name())
                .containsExactly("both");
        assertThat(watchers.watchingAnyOf(Set.of("c.example.com", "b.example.com")))
                .extracting(w -> w.key().name())
                .containsExactlyInAnyOrder("a", "b", "both");

        watchers.unwatch("DomainPoolBinding", new ResourceKey("mail", "both"));
        assertThat(watchers.watchingAnyOf(Set.of("a.example.com", "b.example.com")))
                .extracting(w -> w.key().name())
                .containsExactly("b");
        assertThat(watchers.watchingAnyOf(Set.of("elsewhere.example.com"))).isEmpty();
    }

    @Test
    void aChangeFindsTheWatchersOfItsPoolsIpsAndDomainsAndThoseWatchingEverything() {
        Random random = new Random(7);
        List<String> values = List.of("a", "b", "c", "d");
        for (int step = 0; step < 300; step++) {
            String name = "r" + random.nextInt(10);
            if (random.nextInt(5) == 0) {
                watchers.unwatch("IpPool", new ResourceKey("mail", name));
            } else {
                watchers.watch(new Watcher(
                        "IpPool",
                        new ResourceKey("mail", name),
                        some(random, values, "pool-"),
                        some(random, values, "10.0.0."),
                        some(random, values, "d."),
                        random.nextInt(8) == 0));
            }
            Change change = new Change(
                    some(random, values, "pool-"), some(random, values, "10.0.0."), some(random, values, "d."));
            assertThat(watchers.affectedBy(change))
                    .containsExactlyInAnyOrderElementsOf(watchers.all().stream()
                            .filter(w -> caresAbout(w, change))
                            .toList());
        }
    }

    // an empty change (a read that found nothing new) concerns nobody
    private static boolean caresAbout(Watcher w, Change change) {
        return !change.isEmpty() && w.anyChange()
                || !Collections.disjoint(w.poolIds(), change.poolIds())
                || !Collections.disjoint(w.ips(), change.ips())
                || !Collections.disjoint(w.domains(), change.domains());
    }

    private static Set<String> some(Random random, List<String> values, String prefix) {
        Set<String> picked = new HashSet<>();
        for (String v : values) {
            if (random.nextInt(3) == 0) {
                picked.add(prefix + v);
            }
        }
        return picked;
    }
}
