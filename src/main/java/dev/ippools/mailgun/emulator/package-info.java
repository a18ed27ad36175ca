/**
 * A stateful, standalone emulator of Mailgun's dedicated IP pool, domain IP and account IP HTTP
 * API, for tests and local use (like LocalStack for AWS). It imports no other package of this
 * project: it is an independent implementation of the wire protocol.
 */
package dev.ippools.mailgun.emulator;
