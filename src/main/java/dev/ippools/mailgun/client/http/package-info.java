/**
 * The okhttp implementation: wire mapping, the single retry interceptor and the redacting wire
 * log. Only the composition root should name {@link
 * dev.ippools.mailgun.client.http.OkHttpMailgunClient}; everyone else uses the interface.
 */
package dev.ippools.mailgun.client.http;
