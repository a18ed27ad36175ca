package dev.ippools.mailgun.client.http;

/**
 * Request tag of a call made for deferrable work: its wait for a rate-limit permit does not count
 * as other demand that deferrable work leaves the account's permits to.
 */
enum DeferrableWork {
    INSTANCE
}
