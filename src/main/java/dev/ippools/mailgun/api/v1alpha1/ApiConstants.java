package dev.ippools.mailgun.api.v1alpha1;

/**
 * Names shared by the CRDs, the reconcilers and the status code: API group and version, annotation
 * keys, the finalizer, the condition vocabulary (architecture §3) and the validation patterns used
 * in the generated schema.
 */
public final class ApiConstants {

    public static final String GROUP = "mailgun.ippools.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String CATEGORY = "mailgun";

    /** Mailgun pool id, recorded right after creation; survives backup/restore unlike status. */
    public static final String POOL_ID_ANNOTATION = GROUP + "/pool-id";

    /** Written before the create POST so a crash between POST and id recording is detectable. */
    public static final String CREATE_INTENT_ANNOTATION = GROUP + "/create-intent";

    /**
     * IPs whose Mailgun warm-up the operator started (comma-separated), each written before its
     * start call so a crash or restart never starts one twice.
     */
    public static final String WARMUPS_STARTED_ANNOTATION = GROUP + "/warmups-started";

    public static final String FINALIZER = GROUP + "/finalizer";

    /** {@code "true"}: the operator makes no Mailgun call for the resource until it is removed. */
    public static final String PAUSED_ANNOTATION = GROUP + "/paused";

    /** Any new value asks for a reconcile on a fresh read of the account (Flux's convention). */
    public static final String RECONCILE_REQUESTED_ANNOTATION = GROUP + "/reconcile-requested-at";

    /** The replacement value that tells Mailgun to fall back to shared IPs. */
    public static final String SHARED_IP = "shared";

    /** Condition types; both kinds use the same vocabulary. */
    public static final class ConditionTypes {
        public static final String READY = "Ready";
        public static final String SYNCED = "Synced";
        public static final String RELINKING = "Relinking";

        /** kstatus: True while the operator works toward the current generation. */
        public static final String RECONCILING = "Reconciling";

        /** kstatus: True while the resource cannot progress until someone changes something. */
        public static final String STALLED = "Stalled";

        private ConditionTypes() {}
    }

    /** Reasons of the {@code Ready} condition. */
    public static final class ReadyReasons {
        public static final String AVAILABLE = "Available";

        /** First status of a new resource, written before its first reconcile's Mailgun work. */
        public static final String PROGRESSING = "Progressing";

        public static final String CREATING = "Creating";
        public static final String RELINKING = "Relinking";
        public static final String WAITING = "Waiting";

        /** Listed IPs wait for their Mailgun warm-up; the rest of the pool is applied. */
        public static final String WAITING_FOR_WARMUP = "WaitingForWarmup";

        public static final String CONFLICT = "Conflict";
        public static final String INVALID = "Invalid";
        public static final String DELETING = "Deleting";
        public static final String DELETION_BLOCKED = "DeletionBlocked";
        public static final String OBSERVED = "Observed";
        public static final String ERROR = "Error";

        /** The resource's namespace may not use the operator's default account. */
        public static final String ACCOUNT_NOT_ALLOWED = "AccountNotAllowed";

        /** Adopting spec.poolId would change the pool and spec.adoption is IfUnchanged. */
        public static final String ADOPTION_WOULD_CHANGE = "AdoptionWouldChange";

        /** The pool is marked by another operator's owner id and not handed over to this one. */
        public static final String OWNED_ELSEWHERE = "OwnedElsewhere";

        private ReadyReasons() {}
    }

    /** Reasons of the {@code Synced} condition. */
    public static final class SyncedReasons {
        public static final String RECONCILE_SUCCESS = "ReconcileSuccess";

        /** Transient failure; the reconcile is retried. */
        public static final String RECONCILE_ERROR = "ReconcileError";

        /** Needs a spec or account change; not retried in a loop. */
        public static final String TERMINAL = "Terminal";

        public static final String CREATE_INCOMPLETE = "CreateIncomplete";
        public static final String WAITING = "Waiting";

        /** The account cannot be read: 5xx, 429, timeout or no connection. Recovers by itself. */
        public static final String ACCOUNT_UNREACHABLE = "AccountUnreachable";

        /** Mailgun refuses the account's key (401) or access (403). */
        public static final String UNAUTHORIZED = "Unauthorized";

        /** The resource carries the paused annotation: no Mailgun call until it is removed. */
        public static final String RECONCILE_PAUSED = "ReconcilePaused";

        private SyncedReasons() {}
    }

    /** Reasons of the {@code Relinking} condition. */
    public static final class RelinkingReasons {
        /** Mailgun answered {@code started} and the observed domain IPs do not match the pool yet. */
        public static final String PROPAGATING = "Propagating";

        /** The observed domain IPs match the pool. */
        public static final String SETTLED = "Settled";

        private RelinkingReasons() {}
    }

    /** Regular expressions for the OpenAPI schema; RE2-compatible and anchored. */
    public static final class Patterns {
        private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
        private static final String IPV4_BODY = "(" + OCTET + "\\.){3}" + OCTET;
        // h16 = [0-9a-f]{1,4}; one alternative per position of "::", so at most eight groups.
        private static final String IPV6_BODY = "(([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}"
                + "|([0-9a-f]{1,4}:){1,7}:"
                + "|([0-9a-f]{1,4}:){1,6}:[0-9a-f]{1,4}"
                + "|([0-9a-f]{1,4}:){1,5}(:[0-9a-f]{1,4}){1,2}"
                + "|([0-9a-f]{1,4}:){1,4}(:[0-9a-f]{1,4}){1,3}"
                + "|([0-9a-f]{1,4}:){1,3}(:[0-9a-f]{1,4}){1,4}"
                + "|([0-9a-f]{1,4}:){1,2}(:[0-9a-f]{1,4}){1,5}"
                + "|[0-9a-f]{1,4}:(:[0-9a-f]{1,4}){1,6}"
                + "|:((:[0-9a-f]{1,4}){1,7}|:))";

        /** A dotted-quad IPv4 address or a lowercase IPv6 address (no zone, no embedded IPv4). */
        public static final String IP = "^(" + IPV4_BODY + "|" + IPV6_BODY + ")$";

        /** An IP address as in {@link #IP}, or the word {@code shared}. */
        public static final String IP_OR_SHARED = "^(" + SHARED_IP + "|" + IPV4_BODY + "|" + IPV6_BODY + ")$";

        /** Mailgun ids (pools, subaccounts, domains) are 24 lowercase hex digits. */
        public static final String MAILGUN_ID = "^[0-9a-f]{24}$";

        /** A lowercase DNS name with at least two labels, e.g. {@code mail.example.com}. */
        public static final String DOMAIN =
                "^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\.)+[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";

        /** A Kubernetes object name (RFC 1123 subdomain). */
        public static final String OBJECT_NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

        private Patterns() {}
    }

    private ApiConstants() {}
}
