/**
 * Public surface of the Mailgun IP-pool client: the {@link MailgunClient} interface, its options,
 * the account rate limiter and the exception types. Depends on okhttp, Jackson and slf4j only;
 * never on Kubernetes types, nor on its implementation in {@code client.http}.
 */
package dev.ippools.mailgun.client;
