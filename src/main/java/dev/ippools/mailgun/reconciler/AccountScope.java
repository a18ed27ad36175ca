package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.AccountKey;
import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.account.MailgunAccounts;
import dev.ippools.mailgun.api.v1alpha1.AccountReference;
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

    /**
     * The planning context of one reconciler (or sweep): its informers' resources of the account,
     * mapped and grouped once and kept while they do not change.
     */
    Siblings siblings() {
        return new Siblings();
    }

    final class Siblings {
        private final DesiredSiblings<IpPool, DesiredPool> pools =
                new DesiredSiblings<>(desired::pool, AccountScope.this::siblingKey);
        private final DesiredSiblings<DomainPoolBinding, DesiredBinding> bindings =
                new DesiredSiblings<>(desired::binding, AccountScope.this::siblingKey);

        private Siblings() {}

        /** @param pools, bindings the informers' caches (null: none yet) */
        PlanningContext planningContext(
                AccountKey key,
                ObservedAccount observed,
                CountedCache<IpPool> pools,
                CountedCache<DomainPoolBinding> bindings) {
            return new PlanningContext(observed, poolsOf(key, pools), bindingsOf(key, bindings));
        }

        List<DesiredPool> poolsOf(AccountKey key, CountedCache<IpPool> cache) {
            return cache == null ? List.of() : pools.of(key, cache.changes(), cache::list);
        }

        private List<DesiredBinding> bindingsOf(AccountKey key, CountedCache<DomainPoolBinding> cache) {
            return cache == null
                    ? List.of()
                    : bindings.of(key, cache.changes(), () -> cache.list().filter(b -> b.getSpec() != null));
        }
    }

    private AccountKey siblingKey(String namespace, AccountReference ref) {
        return credentials.resolveSibling(namespace, ref).key();
    }
}
