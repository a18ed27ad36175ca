package dev.ippools.mailgun.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/** The calls made to the emulator's Mailgun API, in order. Admin calls are not recorded. */
public final class Journal {

    private final List<JournalEntry> entries = new ArrayList<>();
    private long nextSeq = 1;

    Journal() {}

    /** Adds the entry built for the next sequence number. */
    synchronized void record(LongFunction<JournalEntry> entry) {
        entries.add(entry.apply(nextSeq++));
    }

    public synchronized List<JournalEntry> entries() {
        return List.copyOf(entries);
    }

    /**
     * Entries whose endpoint template equals {@code endpoint}, e.g. {@code PUT
     * /v3/ip_pools/{pool_id}/ips/{ip}}.
     */
    public synchronized List<JournalEntry> entries(String endpoint) {
        List<JournalEntry> out = new ArrayList<>();
        for (JournalEntry entry : entries) {
            if (endpoint.equals(entry.endpoint())) {
                out.add(entry);
            }
        }
        return out;
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Forgets every entry; sequence numbers keep counting up. */
    public synchronized void clear() {
        entries.clear();
    }
}
