package dev.ippools.mailgun.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Matches a method and decoded path segments against templates like {@code /v3/ips/{ip}}. */
final class Router {

    /**
     * What a handler gets: the acting account, path variables, merged parameters, the JSON body (if
     * any), and {@code http://host} plus the raw path of the request for building paging links.
     */
    record Call(
            Account acting,
            Map<String, String> path,
            Params params,
            JsonNode json,
            String baseUrl,
            String requestPath) {

        String path(String name) {
            return path.get(name);
        }
    }

    @FunctionalInterface
    interface Handler {
        Object handle(Call call);
    }

    record Route(String method, String template, List<String> segments, Handler handler) {
        /** The journal's name for this endpoint, e.g. {@code GET /v3/ip_pools/{pool_id}}. */
        String endpoint() {
            return method + " " + template;
        }
    }

    record Match(Route route, Map<String, String> variables) {}

    private final List<Route> routes = new ArrayList<>();

    void add(String method, String template, Handler handler) {
        List<String> segments = List.of(template.substring(1).split("/"));
        routes.add(new Route(method, template, segments, handler));
    }

    /** The first route whose method and segments match; literal segments must match exactly. */
    Match match(String method, List<String> segments) {
        for (Route route : routes) {
            if (!route.method().equals(method) || route.segments().size() != segments.size()) {
                continue;
            }
            Map<String, String> variables = new LinkedHashMap<>();
            boolean matches = true;
            for (int i = 0; i < segments.size() && matches; i++) {
                String expected = route.segments().get(i);
                if (expected.startsWith("{") && expected.endsWith("}")) {
                    String value = segments.get(i);
                    matches = !value.isEmpty();
                    variables.put(expected.substring(1, expected.length() - 1), value);
                } else {
                    matches = expected.equals(segments.get(i));
                }
            }
            if (matches) {
                return new Match(route, variables);
            }
        }
        return null;
    }
}
