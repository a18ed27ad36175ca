/** Immutable records of Mailgun's requests and answers, in Java names; no library types. */
package dev.ippools.mailgun.client.model;
