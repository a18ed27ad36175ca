package dev.ippools.mailgun.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IndexedDomainsTest {

    private static ObservedDomain domain(String name, String pool) {
        return new ObservedDomain(name, Set.of("10.0.0.1"), pool);
    }

    @Test
    void keepsTheLinksByPoolAsDomainsMove() {
        IndexedDomains domains = IndexedDomains.EMPTY
                .with(domain("b.example.com", "p1"))
                .with(domain("a.example.com", "p1"))
                .with(domain("c.example.com", null));
        assertThat(domains.linkedTo("p1")).containsExactly("a.example.com", "b.example.com");

        IndexedDomains moved = domains.with(domain("a.example.com", "p2"));
        assertThat(moved.linkedTo("p1")).containsExactly("b.example.com");
        assertThat(moved.linkedTo("p2")).containsExactly("a.example.com");
        assertThat(moved).hasSize(3);
        assertThat(domains.linkedTo("p1")).as("the earlier view is unchanged").hasSize(2);

        IndexedDomains gone = moved.without("b.example.com").without("nothing.example.com");
        assertThat(gone.linkedTo("p1")).isEmpty();
        assertThat(gone).containsOnlyKeys("a.example.com", "c.example.com");
    }

    @Test
    void findsADomainIgnoringCaseWhileAnySpellingOfItRemains() {
        IndexedDomains domains =
                IndexedDomains.EMPTY.with(domain("Mail.Example.com", null)).with(domain("mail.example.COM", null));
        assertThat(domains.ignoringCase("MAIL.EXAMPLE.COM")).isNotNull();
        assertThat(domains.ignoringCase("mail.example.COM").name()).isEqualTo("mail.example.COM");

        IndexedDomains one = domains.without("Mail.Example.com");
        assertThat(one.ignoringCase("mail.example.com").name()).isEqualTo("mail.example.COM");
        assertThat(one.without("mail.example.COM").ignoringCase("mail.example.com"))
                .isNull();
        assertThat(domains.without("mail.example.COM")
                        .ignoringCase("MAIL.example.com")
                        .name())
                .isEqualTo("Mail.Example.com");
    }
}
