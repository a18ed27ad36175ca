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
import dev.ippools.mailgun.plan.DesiredRecords;
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
        private DesiredSiblings<IpPool, DesiredPool> pools;
        private DesiredSiblings<DomainPoolBinding, DesiredBinding> bindings;

        private Siblings() {}

        /** @param poolCache, bindingCache the informers' caches (null: none yet) */
        PlanningContext planningContext(
                AccountKey key,
                ObservedAccount observed,
                ChangeTrackingCache<IpPool> poolCache,
                ChangeTrackingCache<DomainPoolBinding> bindingCache) {
            return new PlanningContext(
                    observed,
                    poolCache == null ? List.of() : pools(poolCache).of(key),
                    bindingCache == null ? List.of() : bindings(bindingCache).of(key));
        }

        private synchronized DesiredSiblings<IpPool, DesiredPool> pools(ChangeTrackingCache<IpPool> cache) {
            if (pools == null) {
                pools = new DesiredSiblings<>(
                        cache, DesiredRecords.noPools(), p -> true, desired::pool, AccountScope.this::siblingKey);
            }
            return pools;
        }

        private synchronized DesiredSiblings<DomainPoolBinding, DesiredBinding> bindings(
                ChangeTrackingCache<DomainPoolBinding> cache) {
            if (bindings == null) {
                bindings = new DesiredSiblings<>(
                        cache,
                        DesiredRecords.noBindings(),
                        b -> b.getSpec() != null,
                        desired::binding,
                        AccountScope.this::siblingKey);
            }
            return bindings;
        }
    }

    private AccountKey siblingKey(String namespace, AccountReference ref) {
        return credentials.resolveSibling(namespace, ref).key();
    }
}
