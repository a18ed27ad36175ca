package dev.ippools.mailgun.plan;

/**
 * Where Mailgun moves linked domains when a pool is deleted or a domain unlinked. Exactly one of
 * the three forms; {@code ip} may be the word {@code shared}.
 */
public sealed interface Replacement {
    record PoolRef(String name) implements Replacement {}

    record PoolId(String poolId) implements Replacement {}

    record Ip(String ip) implements Replacement {
        public boolean shared() {
            return "shared".equals(ip);
        }
    }
}
