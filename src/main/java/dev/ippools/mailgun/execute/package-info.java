/**
 * The execution layer, the only code besides the client and the emulator that calls a Mailgun
 * write ({@code WritePathTest} fails otherwise): {@link dev.ippools.mailgun.execute.PlanExecutor}
 * runs a plan's steps in order, checks ownership before each write and stops at the first
 * failure; links to pools go to the account's batching writer ({@code execute.batch}).
 */
package dev.ippools.mailgun.execute;
