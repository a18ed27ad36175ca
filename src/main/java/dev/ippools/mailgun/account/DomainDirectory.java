package dev.ippools.mailgun.account;

import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.model.AccountDomain;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The ids of an account's domains ({@code link_domain} takes ids, bindings name domains), read in
 * bulk with {@code GET /v4/domains} and kept. A name not found re-reads the list, at most once per
 * {@link #MISS_REFRESH}, shared by every caller waiting meanwhile.
 */
final class DomainDirectory {

    static final Duration MISS_REFRESH = Duration.ofSeconds(5);

    private final MailgunClient client;
    private final Clock clock;
    private volatile Map<String, String> idsByName;
    private volatile Instant readAt;

    DomainDirectory(MailgunClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** The domain's id; empty when Mailgun does not list it. */
    Optional<String> idOf(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        Map<String, String> ids = idsByName;
        if (ids != null && ids.containsKey(key)) {
            return Optional.of(ids.get(key));
        }
        Instant askedAt = clock.instant();
        synchronized (this) {
            // A read that began while this caller waited, or just before, answers it too.
            if (readAt == null || !readAt.plus(MISS_REFRESH).isAfter(askedAt)) {
                read();
            }
            return Optional.ofNullable(idsByName.get(key));
        }
    }

    private void read() {
        Instant started = clock.instant();
        Map<String, String> ids = new HashMap<>();
        for (AccountDomain d : client.listAllDomains()) {
            ids.put(d.name().toLowerCase(Locale.ROOT), d.id());
        }
        idsByName = ids;
        readAt = started;
    }
}
