/**
 * Pure planning: desired records plus the observed Mailgun account in, an ordered plan of Mailgun
 * calls, waits, conflicts and problems out. Imports nothing from Kubernetes, HTTP or the client.
 */
package dev.ippools.mailgun.plan;
