package dev.ippools.mailgun.emulator;

import java.util.LinkedHashSet;
import java.util.Set;

/** The parent (primary) account or one of its subaccounts. */
final class Account {
    final String id;
    final String name;
    final boolean primary;

    /** For a subaccount: the parent's IPs linked to it. */
    final Set<String> linkedIps = new LinkedHashSet<>();

    Account(String id, String name, boolean primary) {
        this.id = id;
        this.name = name;
        this.primary = primary;
    }
}
