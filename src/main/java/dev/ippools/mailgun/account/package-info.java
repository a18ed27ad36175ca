/**
 * Live Mailgun state per account: credentials, one shared client and rate limiter per account, and
 * the bulk-polled {@link dev.ippools.mailgun.account.AccountState} that reconcilers read instead of
 * calling Mailgun. Knows the client; knows nothing of Kubernetes.
 */
package dev.ippools.mailgun.account;
