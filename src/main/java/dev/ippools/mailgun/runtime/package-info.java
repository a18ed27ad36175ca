/**
 * One operator process assembled: the JOSDK Operator, both reconcilers, the Mailgun accounts and
 * the Secret cache, started and stopped together. Used by the {@code run} and {@code local}
 * commands and by tests.
 */
package dev.ippools.mailgun.runtime;
