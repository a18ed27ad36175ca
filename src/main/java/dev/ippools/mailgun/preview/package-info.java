/**
 * The {@code plan} command's logic without the command line: reads IpPool and DomainPoolBinding
 * manifests, observes the Mailgun account read-only and runs the operator's own mapping and
 * planners over them, so a preview and the operator cannot disagree. Never writes to Mailgun.
 */
package dev.ippools.mailgun.preview;
