package dev.ippools.mailgun.client.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.MailgunResponseException;
import dev.ippools.mailgun.client.MailgunTransportException;
import dev.ippools.mailgun.client.model.AccountIp;
import dev.ippools.mailgun.client.model.AccountIps;
import dev.ippools.mailgun.client.model.CreatedPool;
import dev.ippools.mailgun.client.model.IpDomains;
import dev.ippools.mailgun.client.model.IpPool;
import dev.ippools.mailgun.client.model.IpPoolDetails;
import dev.ippools.mailgun.client.model.MailgunResponse;
import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.client.model.PoolChange;
import dev.ippools.mailgun.client.model.PoolDomain;
import dev.ippools.mailgun.client.model.PoolDomainsPage;
import dev.ippools.mailgun.client.model.Replacement;
import dev.ippools.mailgun.client.model.SubaccountPoolDelegation;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MailgunClient} over okhttp. Forms go out as multipart/form-data (as Mailgun's OpenAPI
 * declares) with lists as repeated fields; DELETE parameters as query parameters, except {@code
 * subaccount_id} on revoke, which is a url-encoded body. Responses are read leniently where
 * Mailgun's sources disagree (reference §5).
 */
public final class OkHttpMailgunClient implements MailgunClient {

  static final String ON_BEHALF_OF = "X-Mailgun-On-Behalf-Of";
  static final int ALL_DOMAINS_PAGE_SIZE = 100;
  static final int MAX_DOMAIN_PAGES = 1000;

  private static final String WIRE_LOGGER = "dev.ippools.mailgun.client.http.wire";
  private static final String USER_AGENT = "mailgun-ip-pool-operator";
  private static final MediaType JSON = MediaType.get("application/json");
  private static final int MAX_MESSAGE_CHARS = 300;
  private static final int MIN_REDACTABLE_KEY_LENGTH = 8;

  private final MailgunClientOptions options;
  private final OkHttpClient http;
  private final HttpUrl baseUrl;
  private final boolean ownsHttpClient;

  public OkHttpMailgunClient(MailgunClientOptions options) {
    this(options, LoggerFactory.getLogger(WIRE_LOGGER));
  }

  OkHttpMailgunClient(MailgunClientOptions options, Logger wireLog) {
    this.options = Objects.requireNonNull(options, "options");
    this.baseUrl = HttpUrl.get(options.baseUrl());
    OkHttpClient base = options.okHttpClient();
    this.ownsHttpClient = base == null;
    OkHttpClient.Builder builder = base == null ? new OkHttpClient.Builder() : base.newBuilder();
    this.http =
        builder
            .connectTimeout(options.connectTimeout())
            .readTimeout(options.readTimeout())
            .writeTimeout(options.readTimeout())
            .callTimeout(options.callTimeout())
            // The RetryInterceptor is the only retry policy; okhttp would silently repeat a POST.
            .retryOnConnectionFailure(false)
            .followRedirects(false)
            .followSslRedirects(false)
            .addInterceptor(new RetryInterceptor(options))
            .addNetworkInterceptor(new RetryInterceptor.MarkSent())
            .addNetworkInterceptor(new RedactingLoggingInterceptor(wireLog))
            .build();
  }

  private OkHttpMailgunClient(OkHttpMailgunClient parent, String subaccountId) {
    this.options = parent.options.toBuilder().subaccountId(subaccountId).build();
    this.http = parent.http;
    this.baseUrl = parent.baseUrl;
    this.ownsHttpClient = false;
  }

  /** Shares this client's connections, rate limiter and listener; closing it closes nothing. */
  @Override
  public MailgunClient onBehalfOf(String subaccountId) {
    return new OkHttpMailgunClient(this, requireText(subaccountId, "subaccountId"));
  }

  // --- §2 dedicated IP pools ---

  @Override
  public List<IpPool> listPools() {
    Wire.PoolList list =
        execute(
            Endpoint.LIST_POOLS,
            url("v3", "ip_pools"),
            null,
            root -> as(root, Wire.PoolList.class));
    List<IpPool> pools = new ArrayList<>();
    for (Wire.Pool p : nullToEmpty(list.ipPools())) {
      if (p != null) {
        if (p.poolId() == null || p.poolId().isBlank()) {
          throw new MailgunResponseException(
              "GET",
              Endpoint.LIST_POOLS.toString(),
              200,
              "a pool in ip_pools has no pool_id",
              null);
        }
        pools.add(
            new IpPool(
                p.poolId(),
                p.name(),
                p.description(),
                strings(p.ips()),
                isTrue(p.isInherited()),
                isTrue(p.isLinked())));
      }
    }
    return List.copyOf(pools);
  }

  @Override
  public IpPoolDetails getPool(String poolId) {
    requireSegment(poolId, "poolId");
    return execute(
        Endpoint.GET_POOL, url("v3", "ip_pools", poolId), null, root -> poolDetails(root, poolId));
  }

  /** {@code details} wrapper (OAS), {@code ips} outside it (JS type) or a flat object (PHP). */
  private static IpPoolDetails poolDetails(JsonNode root, String requestedId) throws IOException {
    requireObject(root);
    JsonNode details = root.get("details");
    Wire.Pool pool = as(details != null && details.isObject() ? details : root, Wire.Pool.class);
    List<String> ips = pool.ips();
    if (ips == null) {
      ips = new ArrayList<>();
      for (JsonNode ip : root.path("ips")) {
        if (ip.isTextual()) {
          ips.add(ip.asText());
        }
      }
    }
    List<String> linkedDomains = strings(pool.linkedDomains());
    boolean linked = pool.isLinked() != null ? pool.isLinked() : !linkedDomains.isEmpty();
    return new IpPoolDetails(
        pool.poolId() != null ? pool.poolId() : requestedId,
        pool.name(),
        pool.description(),
        strings(ips),
        isTrue(pool.isInherited()),
        linked,
        linkedDomains);
  }

  @Override
  public CreatedPool createPool(NewPool pool) {
    Objects.requireNonNull(pool, "pool");
    Form form = new Form();
    form.add("name", requireText(pool.name(), "name"));
    form.add("description", requireText(pool.description(), "description"));
    form.addAll("ip", pool.ips());
    return execute(
        Endpoint.CREATE_POOL,
        url("v3", "ip_pools"),
        form.multipart(),
        root -> {
          Wire.Created created = as(root, Wire.Created.class);
          if (created.poolId() == null || created.poolId().isBlank()) {
            throw new ShapeException("the answer has no pool_id");
          }
          return new CreatedPool(created.poolId(), created.message());
        });
  }

  @Override
  public MailgunResponse updatePool(String poolId, PoolChange change) {
    requireSegment(poolId, "poolId");
    Objects.requireNonNull(change, "change");
    Form form = new Form();
    form.addIfPresent("name", change.name());
    form.addIfPresent("description", change.description());
    form.addAll("add_ip", change.addIps());
    form.addAll("remove_ip", change.removeIps());
    form.addAll("link_domain", change.linkDomains());
    form.addAll("unlink_domain", change.unlinkDomains());
    if (form.isEmpty()) {
      throw new IllegalArgumentException("the PoolChange changes nothing; Mailgun rejects that");
    }
    return write(Endpoint.UPDATE_POOL, url("v3", "ip_pools", poolId), form.multipart());
  }

  @Override
  public MailgunResponse deletePool(String poolId, Replacement replacement) {
    requireSegment(poolId, "poolId");
    HttpUrl.Builder url = url("v3", "ip_pools", poolId);
    addReplacement(url, replacement, false);
    return write(Endpoint.DELETE_POOL, url, null);
  }

  @Override
  public PoolDomainsPage listPoolDomains(String poolId, int limit, String page) {
    requireSegment(poolId, "poolId");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
    HttpUrl.Builder url =
        url("v3", "ip_pools", poolId, "domains").addQueryParameter("limit", String.valueOf(limit));
    if (page != null) {
      url.addQueryParameter("page", page);
    }
    return execute(
        Endpoint.LIST_POOL_DOMAINS,
        url,
        null,
        root -> {
          Wire.PoolDomains wire = as(root, Wire.PoolDomains.class);
          List<PoolDomain> domains = new ArrayList<>();
          for (Wire.PoolDomain d : nullToEmpty(wire.domains())) {
            if (d != null) {
              domains.add(new PoolDomain(d.id(), d.name()));
            }
          }
          String next = wire.paging() == null ? null : pageToken(wire.paging().next());
          return new PoolDomainsPage(domains, next);
        });
  }

  @Override
  public List<PoolDomain> listAllPoolDomains(String poolId) {
    List<PoolDomain> all = new ArrayList<>();
    Set<String> seenTokens = new HashSet<>();
    String page = null;
    for (int pages = 0; pages < MAX_DOMAIN_PAGES; pages++) {
      PoolDomainsPage current = listPoolDomains(poolId, ALL_DOMAINS_PAGE_SIZE, page);
      all.addAll(current.domains());
      // Mailgun does not document how the last page looks: a short page ends the list.
      if (current.domains().size() < ALL_DOMAINS_PAGE_SIZE || current.nextPage() == null) {
        return List.copyOf(all);
      }
      if (!seenTokens.add(current.nextPage())) {
        throw pagingProblem("a paging cursor came back a second time");
      }
      page = current.nextPage();
    }
    throw pagingProblem("there are more than " + MAX_DOMAIN_PAGES + " pages");
  }

  private static MailgunResponseException pagingProblem(String problem) {
    Endpoint e = Endpoint.LIST_POOL_DOMAINS;
    return new MailgunResponseException(e.method(), e.toString(), 200, problem, null);
  }

  /** The {@code page} query parameter of a {@code paging.next} URL (absolute or relative). */
  private String pageToken(String nextUrl) {
    if (nextUrl == null || nextUrl.isBlank()) {
      return null;
    }
    HttpUrl next = baseUrl.resolve(nextUrl.trim());
    String token = next == null ? null : next.queryParameter("page");
    return token == null || token.isEmpty() ? null : token;
  }

  @Override
  public MailgunResponse addPoolIp(String poolId, String ip) {
    requireSegment(poolId, "poolId");
    requireSegment(ip, "ip");
    return write(
        Endpoint.ADD_POOL_IP,
        url("v3", "ip_pools", poolId, "ips", ip),
        RequestBody.create(new byte[0], null));
  }

  @Override
  public MailgunResponse addPoolIps(String poolId, List<String> ips) {
    requireSegment(poolId, "poolId");
    Objects.requireNonNull(ips, "ips");
    if (ips.isEmpty()) {
      throw new IllegalArgumentException("ips must not be empty");
    }
    byte[] json;
    try {
      json = MailgunJson.MAPPER.writeValueAsBytes(new Wire.IpsBody(List.copyOf(ips)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the ips.json body", e);
    }
    return write(
        Endpoint.ADD_POOL_IPS,
        url("v3", "ip_pools", poolId, "ips.json"),
        RequestBody.create(json, JSON));
  }

  @Override
  public MailgunResponse removePoolIp(String poolId, String ip) {
    requireSegment(poolId, "poolId");
    requireSegment(ip, "ip");
    return write(Endpoint.REMOVE_POOL_IP, url("v3", "ip_pools", poolId, "ips", ip), null);
  }

  @Override
  public MailgunResponse delegatePool(String poolId, String subaccountId) {
    requireSegment(poolId, "poolId");
    Form form = new Form().add("subaccount_id", requireText(subaccountId, "subaccountId"));
    return write(
        Endpoint.DELEGATE_POOL, url("v3", "ip_pools", poolId, "delegate"), form.multipart());
  }

  @Override
  public MailgunResponse revokePoolDelegation(String poolId, String subaccountId) {
    requireSegment(poolId, "poolId");
    Form form = new Form().add("subaccount_id", requireText(subaccountId, "subaccountId"));
    return write(
        Endpoint.REVOKE_POOL_DELEGATION,
        url("v3", "ip_pools", poolId, "delegate"),
        form.urlEncoded());
  }

  @Override
  public List<SubaccountPoolDelegation> listSubaccountPoolDelegations() {
    Wire.SubaccountPools wire =
        execute(
            Endpoint.LIST_SUBACCOUNT_POOLS,
            url("v5", "accounts", "subaccounts", "ip_pools", "all"),
            null,
            root -> as(root, Wire.SubaccountPools.class));
    List<SubaccountPoolDelegation> out = new ArrayList<>();
    for (Wire.SubaccountPool item : nullToEmpty(wire.items())) {
      if (item != null) {
        out.add(new SubaccountPoolDelegation(item.subaccountId(), item.poolId()));
      }
    }
    return List.copyOf(out);
  }

  @Override
  public MailgunResponse setSubaccountPool(String subaccountId, String poolId) {
    requireSegment(subaccountId, "subaccountId");
    Form form = new Form().add("pool_id", requireText(poolId, "poolId"));
    return write(
        Endpoint.SET_SUBACCOUNT_POOL,
        url("v5", "accounts", "subaccounts", subaccountId, "ip_pool"),
        form.multipart());
  }

  @Override
  public MailgunResponse removeSubaccountPool(String subaccountId, String poolId) {
    requireSegment(subaccountId, "subaccountId");
    HttpUrl.Builder url =
        url("v5", "accounts", "subaccounts", subaccountId, "ip_pool")
            .addQueryParameter("pool_id", requireText(poolId, "poolId"));
    return write(Endpoint.REMOVE_SUBACCOUNT_POOL, url, null);
  }

  // --- §3 domain IPs ---

  @Override
  public List<String> listDomainIps(String domain) {
    requireSegment(domain, "domain");
    return execute(
        Endpoint.LIST_DOMAIN_IPS,
        url("v3", "domains", domain, "ips"),
        null,
        root -> {
          requireObject(root);
          List<String> ips = new ArrayList<>();
          // Items are strings; an {"ip": ...} object is read too, in case a version sends those.
          for (JsonNode item : root.path("items")) {
            String ip = item.isTextual() ? item.asText() : item.path("ip").asText(null);
            if (ip != null) {
              ips.add(ip);
            }
          }
          return List.copyOf(ips);
        });
  }

  @Override
  public MailgunResponse assignDomainIp(String domain, String ip) {
    requireSegment(domain, "domain");
    Form form = new Form().add("ip", requireText(ip, "ip"));
    return write(Endpoint.ADD_DOMAIN_IP, url("v3", "domains", domain, "ips"), form.multipart());
  }

  @Override
  public MailgunResponse linkDomainPool(String domain, String poolId) {
    requireSegment(domain, "domain");
    Form form = new Form().add("pool_id", requireText(poolId, "poolId"));
    return write(Endpoint.ADD_DOMAIN_IP, url("v3", "domains", domain, "ips"), form.multipart());
  }

  @Override
  public MailgunResponse removeDomainIp(String domain, String ip, Replacement replacement) {
    requireSegment(domain, "domain");
    requireSegment(ip, "ip");
    if (ip.equals("all") || ip.equals("ip_pool")) {
      throw new IllegalArgumentException(
          "'" + ip + "' is not an IP; use removeDomainPool or unlinkDomainPool");
    }
    HttpUrl.Builder url = url("v3", "domains", domain, "ips", ip);
    addReplacement(url, replacement, false);
    return write(Endpoint.REMOVE_DOMAIN_IP, url, null);
  }

  @Override
  public MailgunResponse removeDomainPool(String domain) {
    requireSegment(domain, "domain");
    return write(Endpoint.REMOVE_DOMAIN_POOL, url("v3", "domains", domain, "ips", "all"), null);
  }

  @Override
  public MailgunResponse unlinkDomainPool(String domain, Replacement replacement) {
    requireSegment(domain, "domain");
    HttpUrl.Builder url = url("v3", "domains", domain, "ips", "ip_pool");
    addReplacement(url, replacement, true);
    return write(Endpoint.UNLINK_DOMAIN_POOL, url, null);
  }

  // --- §4 account IPs ---

  @Override
  public AccountIps listIps(Boolean dedicated, Boolean enabled) {
    HttpUrl.Builder url = url("v3", "ips");
    if (dedicated != null) {
      url.addQueryParameter("dedicated", dedicated.toString());
    }
    if (enabled != null) {
      url.addQueryParameter("enabled", enabled.toString());
    }
    return execute(
        Endpoint.LIST_IPS,
        url,
        null,
        root -> {
          Wire.Ips wire = as(root, Wire.Ips.class);
          List<String> items = strings(wire.items());
          List<AccountIps.IpDetail> details = new ArrayList<>();
          for (Wire.IpDetail d : nullToEmpty(wire.details())) {
            if (d != null && d.ip() != null) {
              details.add(new AccountIps.IpDetail(d.ip(), isTrue(d.isOnWarmup())));
            }
          }
          // Absent means the DIPPs feature is off; keep that distinct from an empty list.
          List<String> assignable =
              wire.assignableToPools() == null ? null : strings(wire.assignableToPools());
          int total = wire.totalCount() != null ? wire.totalCount() : items.size();
          return new AccountIps(items, details, assignable, total);
        });
  }

  @Override
  public AccountIp getIp(String ip) {
    requireSegment(ip, "ip");
    return execute(
        Endpoint.GET_IP,
        url("v3", "ips", ip),
        null,
        root -> {
          Wire.Ip wire = as(root, Wire.Ip.class);
          return new AccountIp(
              wire.ip() != null ? wire.ip() : ip, wire.rdns(), isTrue(wire.dedicated()));
        });
  }

  @Override
  public IpDomains listIpDomains(String ip, Integer limit, Integer skip, String search) {
    requireSegment(ip, "ip");
    HttpUrl.Builder url = url("v3", "ips", ip, "domains");
    if (limit != null) {
      url.addQueryParameter("limit", limit.toString());
    }
    if (skip != null) {
      url.addQueryParameter("skip", skip.toString());
    }
    if (search != null) {
      url.addQueryParameter("search", search);
    }
    return execute(
        Endpoint.LIST_IP_DOMAINS,
        url,
        null,
        root -> {
          Wire.IpDomains wire = as(root, Wire.IpDomains.class);
          List<IpDomains.Item> items = new ArrayList<>();
          for (Wire.IpDomainItem item : nullToEmpty(wire.items())) {
            if (item != null) {
              items.add(new IpDomains.Item(item.domain(), strings(item.ips())));
            }
          }
          int total = wire.totalCount() != null ? wire.totalCount() : items.size();
          return new IpDomains(items, total);
        });
  }

  /** Closes the connections and threads this client created; a shared OkHttpClient stays open. */
  @Override
  public void close() {
    if (ownsHttpClient) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "OkHttpMailgunClient{baseUrl="
        + baseUrl
        + (options.subaccountId() == null ? "" : ", onBehalfOf=" + options.subaccountId())
        + "}";
  }

  // --- plumbing ---

  @FunctionalInterface
  private interface BodyReader<T> {
    T read(JsonNode root) throws IOException;
  }

  /** Thrown by readers when a 2xx body lacks what the operation needs. */
  private static final class ShapeException extends IOException {
    ShapeException(String message) {
      super(message);
    }
  }

  private MailgunResponse write(Endpoint endpoint, HttpUrl.Builder url, RequestBody body) {
    // Any 2xx is accepted: success, started, queued, with or without reference_id.
    return execute(
        endpoint,
        url,
        body,
        root -> {
          if (!root.isObject()) {
            return new MailgunResponse(null, null);
          }
          Wire.Message m = MailgunJson.MAPPER.treeToValue(root, Wire.Message.class);
          return new MailgunResponse(m.message(), m.referenceId());
        });
  }

  private <T> T execute(
      Endpoint endpoint, HttpUrl.Builder url, RequestBody body, BodyReader<T> reader) {
    CallTrace trace = new CallTrace();
    String key = apiKey();
    Request.Builder request =
        new Request.Builder()
            .url(url.build())
            .method(endpoint.method(), body)
            .header("Authorization", Credentials.basic("api", key, UTF_8))
            .header("Accept", "application/json")
            .header("User-Agent", USER_AGENT)
            .tag(Endpoint.class, endpoint)
            .tag(CallTrace.class, trace);
    if (options.subaccountId() != null) {
      request.header(ON_BEHALF_OF, options.subaccountId());
    }
    int status;
    String text;
    try (Response response = http.newCall(request.build()).execute()) {
      status = response.code();
      text = response.body() == null ? "" : response.body().string();
      if (!response.isSuccessful()) {
        throw apiError(endpoint, response, text, key);
      }
    } catch (IOException e) {
      throw new MailgunTransportException(
          endpoint.method(), endpoint.toString(), trace.requestMayHaveBeenSent(), e);
    }
    JsonNode root = parseJson(endpoint, status, text);
    try {
      return reader.read(root);
    } catch (IOException | IllegalArgumentException e) {
      String problem =
          e instanceof ShapeException
              ? e.getMessage()
              : "its body does not have the expected shape (" + e.getClass().getSimpleName() + ")";
      throw new MailgunResponseException(
          endpoint.method(), endpoint.toString(), status, problem, e);
    }
  }

  private static JsonNode parseJson(Endpoint endpoint, int status, String text) {
    if (text.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      JsonNode root = MailgunJson.MAPPER.readTree(text);
      return root == null ? MissingNode.getInstance() : root;
    } catch (JsonProcessingException e) {
      String hint =
          text.contains("Mailgun Magnificent API")
              ? " (Mailgun's answer to an unknown URL: is the base URL right?)"
              : "";
      throw new MailgunResponseException(
          endpoint.method(),
          endpoint.toString(),
          status,
          "its body is not JSON: \"" + shorten(text) + "\"" + hint,
          null);
    }
  }

  private MailgunApiException apiError(
      Endpoint endpoint, Response response, String text, String key) {
    int status = response.code();
    String message = redact(mailgunMessage(text), key);
    if (message.isEmpty()) {
      message = response.message();
    }
    Duration retryAfter = null;
    if (status == 429) {
      Instant now = options.clock().instant();
      retryAfter =
          RateLimitHeaders.resetTime(response, now)
              .or(() -> options.rateLimiter().pausedUntil())
              .map(until -> RateLimitHeaders.until(now, until))
              .orElse(null);
    }
    return new MailgunApiException(
        endpoint.method(), endpoint.toString(), status, message, retryAfter);
  }

  /**
   * Mailgun's {@code {"message": ...}}, else the plain-text body (401 is plain {@code Forbidden}).
   */
  static String mailgunMessage(String body) {
    String trimmed = body == null ? "" : body.trim();
    if (trimmed.isEmpty()) {
      return "";
    }
    if (trimmed.startsWith("{")) {
      try {
        JsonNode message = MailgunJson.MAPPER.readTree(trimmed).path("message");
        return message.isValueNode() ? shorten(message.asText()) : "";
      } catch (JsonProcessingException e) {
        // Not JSON after all: fall through to the text.
      }
    }
    return shorten(trimmed);
  }

  private static String shorten(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_MESSAGE_CHARS
        ? oneLine
        : oneLine.substring(0, MAX_MESSAGE_CHARS) + "...";
  }

  private static String redact(String text, String key) {
    if (key.length() < MIN_REDACTABLE_KEY_LENGTH || !text.contains(key)) {
      return text;
    }
    return text.replace(key, RedactingLoggingInterceptor.REDACTED);
  }

  private String apiKey() {
    String key = options.apiKey().get();
    if (key == null || key.isBlank()) {
      throw new IllegalStateException(
          "no Mailgun API key: the key supplier returned "
              + (key == null ? "null" : "a blank key"));
    }
    return key.strip();
  }

  private HttpUrl.Builder url(String... segments) {
    HttpUrl.Builder url = baseUrl.newBuilder();
    for (String segment : segments) {
      url.addEncodedPathSegment(PathSegments.encode(segment));
    }
    return url;
  }

  private static void addReplacement(
      HttpUrl.Builder url, Replacement replacement, boolean exactlyOne) {
    Replacement r = replacement == null ? Replacement.NONE : replacement;
    if (r.ip() != null && r.poolId() != null) {
      throw new IllegalArgumentException("give a replacement ip or a replacement pool, not both");
    }
    if (exactlyOne && r.isNone()) {
      throw new IllegalArgumentException(
          "Mailgun needs exactly one replacement (an ip, 'shared' or a pool) here");
    }
    if (r.ip() != null) {
      url.addQueryParameter("ip", requireText(r.ip(), "replacement ip"));
    }
    if (r.poolId() != null) {
      url.addQueryParameter("pool_id", requireText(r.poolId(), "replacement poolId"));
    }
  }

  private static void requireObject(JsonNode root) throws ShapeException {
    if (!root.isObject()) {
      throw new ShapeException(
          root.isMissingNode() ? "its body is empty" : "its body is not a JSON object");
    }
  }

  private static <T> T as(JsonNode root, Class<T> type) throws IOException {
    requireObject(root);
    return MailgunJson.MAPPER.treeToValue(root, type);
  }

  private static String requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  private static void requireSegment(String value, String name) {
    requireText(value, name);
    if (value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException(name + " must not be '.' or '..'");
    }
  }

  private static boolean isTrue(Boolean value) {
    return Boolean.TRUE.equals(value);
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static List<String> strings(List<String> list) {
    return nullToEmpty(list).stream().filter(Objects::nonNull).toList();
  }

  /** Form fields in order; lists become repeated fields, never comma-joined. */
  private static final class Form {
    private final List<Map.Entry<String, String>> fields = new ArrayList<>();

    Form add(String name, String value) {
      fields.add(Map.entry(name, value));
      return this;
    }

    void addIfPresent(String name, String value) {
      if (value != null && !value.isEmpty()) {
        add(name, value);
      }
    }

    void addAll(String name, List<String> values) {
      for (String value : nullToEmpty(values)) {
        add(name, requireText(value, name));
      }
    }

    boolean isEmpty() {
      return fields.isEmpty();
    }

    RequestBody multipart() {
      MultipartBody.Builder body = new MultipartBody.Builder().setType(MultipartBody.FORM);
      fields.forEach(f -> body.addFormDataPart(f.getKey(), f.getValue()));
      return body.build();
    }

    RequestBody urlEncoded() {
      FormBody.Builder body = new FormBody.Builder(UTF_8);
      fields.forEach(f -> body.add(f.getKey(), f.getValue()));
      return body.build();
    }
  }
}
