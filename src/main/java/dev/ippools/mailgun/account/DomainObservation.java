package dev.ippools.mailgun.account;

import java.time.Instant;
import java.util.Set;

/**
 * What Mailgun said about one domain.
 *
 * @param ips null when not read (a pool's domain list says the domain is elsewhere, not where)
 * @param linkedPoolFingerprint the linked pool's IPs and link flag when read, to notice change
 */
public record DomainObservation(
        String name,
        boolean exists,
        Set<String> ips,
        String linkedPoolId,
        String linkedPoolFingerprint,
        Instant readAt) {

    static DomainObservation missing(String name, Instant at) {
        return new DomainObservation(name, false, Set.of(), null, null, at);
    }
}
