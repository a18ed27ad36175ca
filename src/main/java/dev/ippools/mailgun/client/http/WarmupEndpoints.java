package dev.ippools.mailgun.client.http;

import static dev.ippools.mailgun.client.http.RequestParams.requireSegment;
import static dev.ippools.mailgun.client.http.ResponseBodies.requireObject;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippools.mailgun.client.model.IpWarmup;
import dev.ippools.mailgun.client.model.IpWarmupsPage;
import dev.ippools.mailgun.client.model.MailgunResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Reference §4.5: IP warm-ups ({@code /v3/ip_warmups}). Shapes as in Mailgun's OpenAPI spec, the
 * Go SDK ({@code ip_warmups.go}, {@code mtypes/ip_warmups.go}) and the Java SDK's {@code
 * MailgunIpWarmupsApi} with {@code model/ipwarmups}: list items use {@code stage_number}, {@code
 * stage_start_volume}, {@code stage_start_time}, {@code stage_volume_limit}; details use {@code
 * stage}, {@code start_volume}, {@code stage_limit}, {@code stage_started_at}, and either may
 * appear, so both are read.
 */
final class WarmupEndpoints {

    // Mailgun's default page is 10; an account has few IPs, so one large page usually does.
    static final int ALL_WARMUPS_PAGE_SIZE = 100;
    static final int MAX_WARMUP_PAGES = 100;

    private final MailgunTransport transport;

    WarmupEndpoints(MailgunTransport transport) {
        this.transport = transport;
    }

    IpWarmupsPage listWarmups(int limit, String page) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        HttpUrl.Builder url = transport.url("v3", "ip_warmups").addQueryParameter("limit", String.valueOf(limit));
        RequestParams.addIfPresent(url, "page", page);
        return transport.get(Endpoint.LIST_WARMUPS, url, root -> {
            requireObject(root);
            List<IpWarmup> items = new ArrayList<>();
            JsonNode list = root.get("items");
            if (list != null && list.isArray()) {
                for (JsonNode item : list) {
                    String ip = text(item, "ip");
                    if (ip != null) {
                        items.add(warmup(item).withIp(ip));
                    }
                }
            }
            JsonNode paging = root.get("paging");
            String next = paging == null ? null : pageToken(text(paging, "next"));
            return new IpWarmupsPage(items, next);
        });
    }

    /** Every running warm-up, following the cursor until an empty or short page. */
    List<IpWarmup> listAllWarmups() {
        List<IpWarmup> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String page = null;
        for (int pages = 0; pages < MAX_WARMUP_PAGES; pages++) {
            IpWarmupsPage current = listWarmups(ALL_WARMUPS_PAGE_SIZE, page);
            all.addAll(current.warmups());
            if (current.warmups().size() < ALL_WARMUPS_PAGE_SIZE || current.nextPage() == null) {
                return List.copyOf(all);
            }
            if (!seen.add(current.nextPage())) {
                throw MailgunErrors.inconsistent(Endpoint.LIST_WARMUPS, "a paging cursor came back a second time");
            }
            page = current.nextPage();
        }
        throw MailgunErrors.inconsistent(Endpoint.LIST_WARMUPS, "there are more than " + MAX_WARMUP_PAGES + " pages");
    }

    IpWarmup getWarmup(String ip) {
        requireSegment(ip, "ip");
        return transport.get(Endpoint.GET_WARMUP, transport.url("v3", "ip_warmups", ip), root -> {
            requireObject(root);
            JsonNode details = root.get("details");
            return warmup(details != null && details.isObject() ? details : root)
                    .withIp(ip);
        });
    }

    MailgunResponse startWarmup(String ip) {
        requireSegment(ip, "ip");
        return transport.write(Endpoint.START_WARMUP, transport.url("v3", "ip_warmups", ip), empty());
    }

    MailgunResponse cancelWarmup(String ip) {
        requireSegment(ip, "ip");
        return transport.write(Endpoint.CANCEL_WARMUP, transport.url("v3", "ip_warmups", ip), null);
    }

    private static okhttp3.RequestBody empty() {
        return okhttp3.RequestBody.create(new byte[0], null);
    }

    private static IpWarmup warmup(JsonNode n) {
        List<IpWarmup.Stage> history = new ArrayList<>();
        JsonNode stages = n.get("stage_history");
        if (stages != null && stages.isArray()) {
            for (JsonNode s : stages) {
                history.add(new IpWarmup.Stage(
                        instant(s, "first_updated_at"), instant(s, "completed_at"), integer(s, "limit")));
            }
        }
        return new IpWarmup(
                null,
                integer(n, "stage", "stage_number"),
                integer(n, "total_stages"),
                text(n, "sent_within_stage"),
                integer(n, "throttle"),
                integer(n, "start_volume", "stage_start_volume"),
                integer(n, "stage_limit", "stage_volume_limit"),
                integer(n, "hourly_limit"),
                instant(n, "stage_started_at", "stage_start_time"),
                instant(n, "plan_started_at"),
                instant(n, "plan_last_updated_at"),
                history);
    }

    private static JsonNode field(JsonNode n, String... names) {
        for (String name : names) {
            JsonNode value = n.get(name);
            if (value != null && !value.isNull()) {
                return value;
            }
        }
        return null;
    }

    private static String text(JsonNode n, String... names) {
        JsonNode value = field(n, names);
        return value == null ? null : value.asText();
    }

    private static Integer integer(JsonNode n, String... names) {
        JsonNode value = field(n, names);
        return value != null && value.canConvertToInt() ? value.asInt() : null;
    }

    /** RFC 3339 as Mailgun writes it; anything else is left out rather than failing the read. */
    private static Instant instant(JsonNode n, String... names) {
        String value = text(n, names);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private String pageToken(String nextUrl) {
        if (nextUrl == null || nextUrl.isBlank()) {
            return null;
        }
        HttpUrl next = transport.baseUrl().resolve(nextUrl.trim());
        String token = next == null ? null : next.queryParameter("page");
        return token == null || token.isEmpty() ? null : token;
    }
}
