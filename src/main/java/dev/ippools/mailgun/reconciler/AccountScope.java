package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.AccountKey;
import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.account.MailgunAccounts;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.mapping.CredentialsResolver;
import dev.ippools.mailgun.mapping.KindRules;
import dev.ippools.mailgun.plan.DesiredBinding;
import dev.ippools.mailgun.plan.DesiredPool;
import dev.ippools.mailgun.plan.ObservedAccount;
import dev.ippools.mailgun.plan.PlanningContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Resolves a resource's Mailgun account and gathers the sibling resources of that account, so a
 * plan sees every claim on the same IPs, pools and domains.
 */
final class AccountScope {

    private final MailgunAccounts accounts;
    private final CredentialsResolver credentials;
    private final DesiredCache desired;
    private final String ownerId;

    AccountScope(MailgunAccounts accounts, CredentialsResolver credentials, String ownerId) {
        this.accounts = accounts;
        this.credentials = credentials;
        this.ownerId = ownerId;
        this.desired = new DesiredCache(ownerId);
    }

    /** The operator's owner id (null: none). */
    String ownerId() {
        return ownerId;
    }

    /** Forgets a deleted resource's cached mapping. */
    void forget(HasMetadata resource) {
        desired.forget(resource);
    }

    CredentialsResolver credentials() {
        return credentials;
    }

    MailgunAccounts accounts() {
        return accounts;
    }

    CredentialsResolver.Resolved credentialsOf(HasMetadata resource) {
        return credentials.resolve(resource.getMetadata().getNamespace(), KindRules.accountRef(resource));
    }

    AccountState account(Credentials c) {
        return accounts.account(c);
    }

    PlanningContext planningContext(
            AccountKey key, ObservedAccount observed, Stream<IpPool> pools, Stream<DomainPoolBinding> bindings) {
        List<DesiredPool> desiredPools =
                pools.filter(p -> sameAccount(p, key)).map(desired::pool).toList();
        List<DesiredBinding> desiredBindings = bindings.filter(b -> b.getSpec() != null && sameAccount(b, key))
                .map(desired::binding)
                .toList();
        return new PlanningContext(observed, desiredPools, desiredBindings);
    }

    private boolean sameAccount(HasMetadata resource, AccountKey key) {
        return Objects.equals(
                credentials
                        .resolveSibling(resource.getMetadata().getNamespace(), KindRules.accountRef(resource))
                        .key(),
                key);
    }
}
