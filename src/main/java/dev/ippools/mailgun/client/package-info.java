/**
 * Public surface of the Mailgun IP-pool client: the {@link dev.ippools.mailgun.client.MailgunClient}
 * interface, its options, the account rate limiter and the exception types. Depends on okhttp,
 * Jackson and slf4j only; never on Kubernetes types.
 */
package dev.ippools.mailgun.client;
