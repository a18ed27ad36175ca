package dev.ippools.mailgun.emulator;

/** An IP of the account, as the fixture lists it. */
record Ip(String address, boolean dedicated, boolean enabled, boolean warmup, String rdns) {}
