package dev.ippools.mailgun.client.model;

import java.util.List;

/** Body of {@code POST /v3/ip_pools}. */
public record NewPool(String name, String description, List<String> ips) {

    public NewPool {
        ips = ips == null ? List.of() : List.copyOf(ips);
    }
}
