package pulse.http.auth;

import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.engine.metrics.PulseMetrics;

/**
 * The API's door: every request whose route needs a role ({@link RoutePolicy}) must carry {@code
 * Authorization: Bearer <key>} of a key with that role ({@link ApiKeyStore}). No key or an unknown
 * one: 401 with {@code WWW-Authenticate}; a key of another role: 403; both with a JSON error body
 * that says what is missing and never which keys exist. Within the rate limits ({@link RateLimits})
 * or 429 with Retry-After. Admin calls are logged (who, what); the {@code Authorization} header
 * never is.
 */
public final class ApiAuth extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ApiAuth.class);
  private static final Logger audit = LoggerFactory.getLogger("pulse.audit");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The key name requests without a valid key are counted under. */
  public static final String ANONYMOUS = "anonymous";

  private final boolean enabled;
  private final ApiKeyStore keys;
  private final RoutePolicy policy;
  private final String realm;
  private final RateLimits limits;
  private final Set<String> trustedProxies;
  private final PulseMetrics metrics;

  public ApiAuth(
      boolean enabled,
      ApiKeyStore keys,
      RoutePolicy policy,
      String realm,
      RateLimits limits,
      Set<String> trustedProxies,
      PulseMetrics metrics) {
    this.enabled = enabled;
    this.keys = keys;
    this.policy = policy;
    this.realm = realm;
    this.limits = limits;
    this.trustedProxies = Set.copyOf(trustedProxies);
    this.metrics = metrics;
  }

  /** From {@code pulse.http} ({@code auth}, {@code rate-limits}, {@code trusted-proxies}). */
  public static ApiAuth fromConfig(Config http, PulseMetrics metrics) {
    Config auth = http.getConfig("auth");
    boolean enabled = auth.getBoolean("enabled");
    ApiKeyStore keys = ApiKeyStore.fromConfig(auth);
    if (!enabled) {
      log.warn("API authentication is OFF (pulse.http.auth.enabled): every route is open");
    } else if (keys.keys().isEmpty()) {
      log.warn(
          "no API keys are configured (PULSE_API_KEY_ADMIN, _INGEST, _READ or PULSE_API_KEYS_FILE):"
              + " every route but {} answers 401",
          auth.getStringList("open-paths"));
    }
    return new ApiAuth(
        enabled,
        keys,
        new RoutePolicy(new HashSet<>(auth.getStringList("open-paths"))),
        auth.getString("realm"),
        RateLimits.fromConfig(http.getConfig("rate-limits")),
        new HashSet<>(http.getStringList("trusted-proxies")),
        metrics);
  }

  public ApiKeyStore keys() {
    return keys;
  }

  /**
   * {@code inner}, for callers whose key's role the route needs and who are within their rate
   * limits (429 otherwise).
   */
  public Route protect(Route inner) {
    if (!enabled) {
      return inner;
    }
    return extractRequest(
        request -> {
          String method = request.method().name();
          String path = request.getUri().path();
          Optional<Role> needed = policy.needed(method, path);
          Optional<String> presented = bearer(request);
          Optional<ApiKeys.Caller> caller = presented.flatMap(keys.keys()::lookup);
          if (caller.isEmpty()) {
            // Probes, scrapes and callers without a valid key: limited by address, so nobody
            // guesses keys at the node's full speed.
            Optional<Duration> wait = limits.acquireAnonymous(clientAddress(request));
            if (wait.isPresent()) {
              metrics.rateLimited(ANONYMOUS);
              return tooMany(wait.get(), "too many requests without a valid key from this address");
            }
          }
          if (needed.isEmpty()) {
            return inner;
          }
          if (caller.isEmpty()) {
            return presented.isEmpty()
                ? refuse(
                    StatusCodes.UNAUTHORIZED,
                    "this route needs an API key: send Authorization: Bearer <key>",
                    "Bearer realm=\"" + realm + "\"")
                : refuse(
                    StatusCodes.UNAUTHORIZED,
                    "the API key is not valid",
                    "Bearer realm=\"" + realm + "\", error=\"invalid_token\"");
          }
          ApiKeys.Caller c = caller.get();
          if (!c.role().permits(needed.get())) {
            return refuse(
                StatusCodes.FORBIDDEN,
                method
                    + " "
                    + path
                    + " needs the "
                    + needed.get().label()
                    + " role; this key has "
                    + c.role().label(),
                null);
          }
          Optional<Duration> wait = limits.acquire(c);
          if (wait.isPresent()) {
            metrics.rateLimited(c.name());
            return tooMany(
                wait.get(), "this key is over its rate limit (" + c.role().label() + " role)");
          }
          metrics.keyCalled(c.name(), c.role().label());
          if (needed.get() == Role.ADMIN) {
            audit.info(
                "admin call {} {} by key '{}' (request {})",
                method,
                path,
                c.name(),
                request.getHeader("X-Request-Id").map(h -> h.value()).orElse("-"));
          }
          return inner;
        });
  }

  /**
   * The client's address: the peer's, or, when the peer is a trusted proxy (HAProxy with {@code
   * option forwardfor}), the last address of X-Forwarded-For, which that proxy appended.
   */
  private String clientAddress(HttpRequest request) {
    String peer =
        request
            .getAttribute(AttributeKeys.remoteAddress)
            .flatMap(a -> a.getAddress().map(InetAddress::getHostAddress))
            .orElse("unknown");
    if (!trustedProxies.contains(peer)) {
      return peer;
    }
    return request
        .getHeader("X-Forwarded-For")
        .map(h -> h.value().substring(h.value().lastIndexOf(',') + 1).strip())
        .filter(a -> !a.isEmpty())
        .orElse(peer);
  }

  private Route tooMany(Duration wait, String why) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return respondWithHeader(
        RetryAfter.create(seconds), () -> refuse(StatusCodes.TOO_MANY_REQUESTS, why, null));
  }

  private static Optional<String> bearer(HttpRequest request) {
    Optional<HttpHeader> h = request.getHeader("Authorization");
    if (h.isEmpty()) {
      return Optional.empty();
    }
    String v = h.get().value().strip();
    if (v.length() < 7 || !v.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String key = v.substring(7).strip();
    return key.isEmpty() ? Optional.empty() : Optional.of(key);
  }

  private Route refuse(StatusCode status, String why, String challenge) {
    ObjectNode body = JSON.createObjectNode();
    body.put("error", why);
    HttpResponse response =
        HttpResponse.create()
            .withStatus(status)
            .withEntity(ContentTypes.APPLICATION_JSON, body.toString());
    if (challenge != null) {
      response = response.addHeader(RawHeader.create("WWW-Authenticate", challenge));
    }
    return complete(response);
  }
}
