package dev.ippools.mailgun.plan;

public enum ManagementPolicy {
    MANAGE,
    /** Read-only import: status only, never a write. */
    OBSERVE
}
