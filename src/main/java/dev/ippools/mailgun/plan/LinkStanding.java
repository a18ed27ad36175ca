package dev.ippools.mailgun.plan;

/** Where a sending domain stands towards the pool its binding links it to, batch included. */
public enum LinkStanding {
    /** Mailgun does not list the domain. */
    DOMAIN_MISSING,
    /** Not linked to the pool (or the pool is not known yet). */
    NOT_LINKED,
    /** Waiting in its pool's batch. */
    QUEUED,
    /** Mailgun accepted the link; not yet seen in its reads. */
    ACCEPTED,
    /** Mailgun shows the domain linked to the pool. */
    LINKED,
    /** Mailgun refused this domain's link. */
    REJECTED,
    /** The batch call failed in a way that may pass. */
    FAILED
}
