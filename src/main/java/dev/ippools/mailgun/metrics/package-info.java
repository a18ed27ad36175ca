/**
 * Prometheus metrics through Micrometer: Mailgun calls and rate-limit waits, resources by Ready
 * state, leadership, JOSDK's reconcile metrics and the JVM's. Observes the client, account and API
 * packages; nothing outside the composition root depends on it.
 */
package dev.ippools.mailgun.metrics;
