package dev.ippools.mailgun.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.plan.ResourceKey;
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
}
