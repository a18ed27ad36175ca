package dev.ippools.mailgun.emulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;

/** The faults currently armed; the first armed fault that matches a call and fires wins. */
public final class Faults {

    private static final class Armed {
        final Fault fault;
        final Pattern pattern;
        Integer remaining;

        Armed(Fault fault) {
            this.fault = fault;
            this.pattern = Pattern.compile(fault.pathPattern());
            this.remaining = fault.count();
        }
    }

    private final List<Armed> armed = new ArrayList<>();
    private final Random random;

    Faults(long seed) {
        this.random = new Random(seed);
    }

    public synchronized Fault add(Fault fault) {
        armed.add(new Armed(fault));
        return fault;
    }

    /** The armed faults, with {@code count} showing how many hits each has left. */
    public synchronized List<Fault> list() {
        List<Fault> out = new ArrayList<>();
        for (Armed a : armed) {
            Fault f = a.fault;
            out.add(new Fault(
                    f.method(),
                    f.pathPattern(),
                    f.status(),
                    f.rate(),
                    a.remaining,
                    f.latencyMs(),
                    f.resetAfterSeconds(),
                    f.afterProcessing(),
                    f.reset()));
        }
        return out;
    }

    public synchronized void clear() {
        armed.clear();
    }

    /** Picks the fault for a call, using up one of its hits; faults used up are dropped. */
    synchronized Optional<Fault> pick(String method, String rawPath) {
        Iterator<Armed> it = armed.iterator();
        while (it.hasNext()) {
            Armed a = it.next();
            if (a.fault.method() != null && !a.fault.method().equalsIgnoreCase(method)) {
                continue;
            }
            if (!a.pattern.matcher(rawPath).find()) {
                continue;
            }
            if (a.fault.rate() < 1.0 && random.nextDouble() >= a.fault.rate()) {
                continue;
            }
            if (a.remaining != null) {
                a.remaining--;
                if (a.remaining == 0) {
                    it.remove();
                }
            }
            return Optional.of(a.fault);
        }
        return Optional.empty();
    }
}
