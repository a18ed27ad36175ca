package dev.ippools.mailgun.plan;

import static dev.ippools.mailgun.plan.Fixtures.DOMAIN;
import static dev.ippools.mailgun.plan.Fixtures.IP1;
import static dev.ippools.mailgun.plan.Fixtures.IP2;
import static dev.ippools.mailgun.plan.Fixtures.IP3;
import static dev.ippools.mailgun.plan.Fixtures.IP6;
import static dev.ippools.mailgun.plan.Fixtures.POOL_A;
import static dev.ippools.mailgun.plan.Fixtures.SHARED_ONLY;
import static dev.ippools.mailgun.plan.Fixtures.SUB_1;
import static dev.ippools.mailgun.plan.Fixtures.WARMING;
import static dev.ippools.mailgun.plan.Fixtures.account;
import static dev.ippools.mailgun.plan.Fixtures.binding;
import static dev.ippools.mailgun.plan.Fixtures.ctx;
import static dev.ippools.mailgun.plan.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedIp;
import dev.ippools.mailgun.plan.Plan.Problem;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidatorTest {

    /** Expected problems as "field: fragment of the message", in order; none means valid. */
    private static Arguments row(String name, Object record, String... problems) {
        return Arguments.of(named(name, record), List.of(problems));
    }

    /** A check against the account: the context goes first so the case name can label it. */
    private static Arguments row(String name, PlanningContext ctx, Object record, String... problems) {
        return Arguments.of(named(name, ctx), List.of(problems), record);
    }

    static Stream<Arguments> pools() {
        return Stream.of(
                row(
                        "valid IPv4 and IPv6 pool",
                        pool("a").ips(IP1, IP6).delegatedTo(SUB_1).build()),
                row("no IPs is a valid pool", pool("a").ips().build()),
                row(
                        "null name and description leave Mailgun's",
                        pool("a").name(null).description(null).build()),
                row(
                        "bad IP syntax",
                        pool("a").ips(IP1, "10.0.0.300", "2001:db8:::1").build(),
                        "spec.ips: \"10.0.0.300\" is not a valid IPv4 or IPv6 address",
                        "spec.ips: \"2001:db8:::1\" is not a valid IPv4 or IPv6 address"),
                row(
                        "duplicate IPs compared canonically",
                        pool("a").ips("2001:db8::1", "2001:DB8:0::1").build(),
                        "spec.ips: \"2001:DB8:0::1\" and \"2001:db8::1\" are the same address"),
                row("shared is no pool IP", pool("a").ips("shared").build(), "spec.ips: \"shared\" is not an address"),
                row("empty name", pool("a").name(" ").build(), "spec.name: must not be empty"),
                row(
                        "overlong name",
                        pool("a")
                                .name("n".repeat(SpecValidator.MAX_NAME_LENGTH + 1))
                                .build(),
                        "spec.name: is 256 characters; at most 255"),
                row("multi-line name", pool("a").name("a\nb").build(), "spec.name: must be one line"),
                row(
                        "overlong description",
                        pool("a")
                                .description("d".repeat(SpecValidator.MAX_DESCRIPTION_LENGTH + 1))
                                .build(),
                        "spec.description: is 1001 characters"),
                row(
                        "description carrying a marker",
                        pool("a")
                                .description("x [managed-by: mailgun-ip-pool-operator uid=other]")
                                .build(),
                        "spec.description: must not contain an ownership marker"),
                row(
                        "bad ids",
                        pool("a")
                                .adopt("ABC")
                                .recorded("123")
                                .delegatedTo("subaccount-1")
                                .build(),
                        "spec.delegatedTo: \"subaccount-1\" is not a subaccount id",
                        "spec.poolId: \"ABC\" is not a Mailgun pool id",
                        "metadata.annotations[mailgun.ippools.dev/pool-id]: \"123\" is not a Mailgun pool id"),
                row("missing uid", pool("a").uid(null).build(), "metadata.uid: is missing"),
                row(
                        "replacement ip: an address or shared",
                        pool("a").replacement(new Replacement.Ip("shared")).build()),
                row(
                        "replacement ip: garbage",
                        pool("a").replacement(new Replacement.Ip("everything")).build(),
                        "spec.replacement.ip: \"everything\" is neither a valid IP address nor \"shared\""),
                row(
                        "replacement poolId shape",
                        pool("a").replacement(new Replacement.PoolId("nope")).build(),
                        "spec.replacement.poolId: \"nope\" is not a Mailgun pool id"),
                row(
                        "replacement poolRef to itself",
                        pool("a").replacement(new Replacement.PoolRef("a")).build(),
                        "spec.replacement.poolRef.name: must name another IpPool"),
                row(
                        "replacement poolRef empty",
                        pool("a").replacement(new Replacement.PoolRef("")).build(),
                        "spec.replacement.poolRef.name: must not be empty"));
    }

    static Stream<Arguments> bindings() {
        return Stream.of(
                row("valid pool binding", binding("web").poolRef("a").build()),
                row("valid poolId binding", binding("web").poolId(POOL_A).build()),
                row("valid explicit IPs", binding("web").ips(IP1, IP6).build()),
                row(
                        "valid unlink replacement shared",
                        binding("web")
                                .poolRef("a")
                                .replacement(new Replacement.Ip("shared"))
                                .build()),
                row("no target", binding("web").noTarget().build(), "spec: set exactly one of"),
                row("empty poolRef", binding("web").poolRef("").build(), "spec.poolRef.name: must not"),
                row("bad poolId", binding("web").poolId("x").build(), "spec.poolId: \"x\" is not"),
                row("empty IP list", binding("web").ips().build(), "spec.ips: must list at least one IP"),
                row(
                        "shared is no domain IP",
                        binding("web").ips("shared").build(),
                        "spec.ips: \"shared\" is not an address"),
                row(
                        "IPv4 with a leading zero (octal to some parsers)",
                        binding("web").ips("10.0.0.1", "10.0.0.01").build(),
                        "spec.ips: \"10.0.0.01\" is not a valid"),
                row(
                        "duplicate domain IPs",
                        binding("web").ips("2001:db8::1", "2001:DB8::1").build(),
                        "spec.ips: \"2001:DB8::1\" and \"2001:db8::1\" are the same address"),
                row("empty domain", binding("web").domain("").poolRef("a").build(), "spec.domain: must"),
                row(
                        "domain without a dot",
                        binding("web").domain("localhost").poolRef("a").build(),
                        "spec.domain: \"localhost\" is not a valid domain name"),
                row(
                        "domain label with a leading hyphen",
                        binding("web").domain("-x.example.com").poolRef("a").build(),
                        "spec.domain: \"-x.example.com\" is not"),
                row(
                        "an IP is no domain",
                        binding("web").domain("10.0.0.1").poolRef("a").build(),
                        "spec.domain: \"10.0.0.1\" is not"),
                row(
                        "replacement poolRef equal to the target",
                        binding("web")
                                .poolRef("a")
                                .replacement(new Replacement.PoolRef("a"))
                                .build(),
                        "spec.replacement.poolRef.name: must name a different pool"),
                row(
                        "replacement poolId equal to the target",
                        binding("web")
                                .poolId(POOL_A)
                                .replacement(new Replacement.PoolId(POOL_A))
                                .build(),
                        "spec.replacement.poolId: must name a different pool"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pools")
    void validatesPools(DesiredPool pool, List<String> expected) {
        assertMatches(SpecValidator.validate(pool), expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bindings")
    void validatesBindings(DesiredBinding binding, List<String> expected) {
        assertMatches(SpecValidator.validate(binding), expected);
    }

    static Stream<Arguments> poolAccountChecks() {
        Fixtures.AccountBuilder held = account().owned(POOL_A, "a", IP1).foreign(Fixtures.FOREIGN, "x", IP3);
        return Stream.of(
                row(
                        "IPs fine",
                        ctx(held, List.of()),
                        pool("a").recorded(POOL_A).ips(IP1, IP2).build()),
                row(
                        "IP held by another pool is a claim, not an account problem",
                        ctx(held, List.of()),
                        pool("a").recorded(POOL_A).ips(IP3).build()),
                row(
                        "not on the account, not dedicated; warming is waited for, not a problem",
                        ctx(held, List.of()),
                        pool("a")
                                .recorded(POOL_A)
                                .ips("198.51.100.7", SHARED_ONLY, WARMING)
                                .build(),
                        "spec.ips: IP 192.0.2.50 is not a dedicated IP",
                        "spec.ips: IP 198.51.100.7 is not an IP of this Mailgun account"),
                row(
                        "dedicated but not assignable and in no visible pool",
                        ctx(account().ip(new ObservedIp("10.9.9.9", true, false, false)), List.of()),
                        pool("a").ips("10.9.9.9").build(),
                        "spec.ips: IP 10.9.9.9 is not assignable to pools"),
                row(
                        "an IP the pool already holds is not re-checked",
                        ctx(account().owned(POOL_A, "a", WARMING), List.of()),
                        pool("a").recorded(POOL_A).ips(WARMING).build()),
                row(
                        "feature off",
                        ctx(account().dippsOff(), List.of()),
                        pool("a").ips(IP1).build(),
                        ": the Mailgun account does not have the Dedicated IP Pools (DIPPs) feature"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolAccountChecks")
    void checksPoolsAgainstTheAccount(PlanningContext ctx, List<String> expected, DesiredPool pool) {
        assertMatches(SpecValidator.checkAccount(pool, ctx), expected);
    }

    static Stream<Arguments> bindingAccountChecks() {
        Fixtures.AccountBuilder withDomain = account().domain(DOMAIN, null, IP1);
        return Stream.of(
                row(
                        "pool target fine",
                        ctx(withDomain, List.of()),
                        binding("web").poolRef("a").build()),
                row(
                        "explicit IPs in a pool are fine for a domain",
                        ctx(account().owned(POOL_A, "a", IP2).domain(DOMAIN, null, IP1), List.of()),
                        binding("web").ips(IP2).build()),
                row(
                        "domain missing",
                        ctx(account(), List.of()),
                        binding("web").poolRef("a").build(),
                        "spec.domain: domain not found on the Mailgun account: " + DOMAIN),
                row(
                        "explicit IP not dedicated or not the account's",
                        ctx(withDomain, List.of()),
                        binding("web").ips(SHARED_ONLY, "198.51.100.7").build(),
                        "spec.ips: IP 192.0.2.50 is not a dedicated IP",
                        "spec.ips: IP 198.51.100.7 is not an IP"),
                row(
                        "explicit IPs need no DIPPs feature",
                        ctx(account().dippsOff().domain(DOMAIN, null, IP1), List.of()),
                        binding("web").ips(IP2).build()),
                row(
                        "pool target needs the DIPPs feature",
                        ctx(account().dippsOff().domain(DOMAIN, null, IP1), List.of()),
                        binding("web").poolRef("a").build(),
                        ": the Mailgun account does not have the Dedicated IP Pools"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bindingAccountChecks")
    void checksBindingsAgainstTheAccount(PlanningContext ctx, List<String> expected, DesiredBinding binding) {
        assertMatches(SpecValidator.checkAccount(binding, ctx), expected);
    }

    @Test
    void neverThrowsOnAnAllNullRecord() {
        DesiredPool empty = new DesiredPool(
                new ResourceKey("ns", "x"), null, null, null, null, null, null, null, null, null, false, null, null);
        DesiredBinding bare = new DesiredBinding(new ResourceKey("ns", "y"), null, null, null, null, false, null, null);
        PlanningContext nothing = new PlanningContext(null, null, null);
        assertThat(SpecValidator.validate(empty)).extracting(Problem::field).containsExactly("metadata.uid");
        assertThat(SpecValidator.validate(bare)).extracting(Problem::field).containsExactly("spec.domain", "spec");
        assertThat(SpecValidator.checkAccount(empty, nothing)).hasSize(1);
        assertThat(SpecValidator.checkAccount(bare, nothing)).hasSize(1);
        assertThat(PoolPlanner.plan(empty, nothing).state()).isEqualTo(Plan.State.INVALID);
        assertThat(BindingPlanner.plan(bare, nothing).state()).isEqualTo(Plan.State.INVALID);
    }

    private static void assertMatches(List<Problem> problems, List<String> expected) {
        List<String> rendered = problems.stream()
                .map(p -> (p.field() == null ? "" : p.field()) + ": " + p.message())
                .toList();
        assertThat(rendered).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(rendered.get(i)).as(rendered.toString()).startsWith(expected.get(i));
        }
    }
}
