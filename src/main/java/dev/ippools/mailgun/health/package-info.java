/**
 * The operator's HTTP endpoints for the kubelet and Prometheus: {@code /healthz}, {@code /readyz}
 * and {@code /metrics} on the JDK's HTTP server. Knows JOSDK's runtime info; no Mailgun code.
 */
package dev.ippools.mailgun.health;
