/**
 * The okhttp implementation: one transport (retries, error mapping, redaction, the wire log), one
 * class per group of endpoints, and the factory {@link OkHttpMailgunClient#create}. Only the
 * composition root calls the factory; everyone else uses the interface.
 */
package dev.ippools.mailgun.client.http;
