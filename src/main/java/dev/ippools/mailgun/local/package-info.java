/**
 * The {@code local} mode: a real Kubernetes API server started on this machine, the bundled CRDs
 * and samples, the Mailgun emulator and the operator, wired together, and the condition table it
 * prints.
 */
package dev.ippools.mailgun.local;
