package dev.ippools.mailgun.emulator;

/** An IP of the account, as the fixture lists it; its warm-up is in {@link EmulatorState}. */
record Ip(String address, boolean dedicated, boolean enabled, String rdns) {}
