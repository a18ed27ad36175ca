/** Runs a plan's steps against the Mailgun client, in order, stopping at the first failure. */
package dev.ippools.mailgun.execute;
