package pulse.http.auth;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import java.util.HashSet;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's door: every request whose route needs a role ({@link RoutePolicy}) must carry {@code
 * Authorization: Bearer <key>} of a key with that role ({@link ApiKeyStore}). No key or an unknown
 * one: 401 with {@code WWW-Authenticate}; a key of another role: 403; both with a JSON error body
 * that says what is missing and never which keys exist. Admin calls are logged (who, what); the
 * {@code Authorization} header never is.
 */
public final class ApiAuth extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ApiAuth.class);
  private static final Logger audit = LoggerFactory.getLogger("pulse.audit");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final boolean enabled;
  private final ApiKeyStore keys;
  private final RoutePolicy policy;
  private final String realm;

  public ApiAuth(boolean enabled, ApiKeyStore keys, RoutePolicy policy, String realm) {
    this.enabled = enabled;
    this.keys = keys;
    this.policy = policy;
    this.realm = realm;
  }

  /** From {@code pulse.http.auth}. */
  public static ApiAuth fromConfig(Config auth) {
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
        auth.getString("realm"));
  }

  public ApiKeyStore keys() {
    return keys;
  }

  /** {@code inner}, for callers whose key's role the route needs. */
  public Route protect(Route inner) {
    if (!enabled) {
      return inner;
    }
    return extractRequest(
        request -> {
          String method = request.method().name();
          String path = request.getUri().path();
          Optional<Role> needed = policy.needed(method, path);
          if (needed.isEmpty()) {
            return inner;
          }
          Optional<String> presented = bearer(request);
          if (presented.isEmpty()) {
            return refuse(
                StatusCodes.UNAUTHORIZED,
                "this route needs an API key: send Authorization: Bearer <key>",
                "Bearer realm=\"" + realm + "\"");
          }
          Optional<ApiKeys.Caller> caller = keys.keys().lookup(presented.get());
          if (caller.isEmpty()) {
            return refuse(
                StatusCodes.UNAUTHORIZED,
                "the API key is not valid",
                "Bearer realm=\"" + realm + "\", error=\"invalid_token\"");
          }
          Role role = caller.get().role();
          if (!role.permits(needed.get())) {
            return refuse(
                StatusCodes.FORBIDDEN,
                method
                    + " "
                    + path
                    + " needs the "
                    + needed.get().label()
                    + " role; this key has "
                    + role.label(),
                null);
          }
          if (needed.get() == Role.ADMIN) {
            audit.info("admin call {} {} by key '{}'", method, path, caller.get().name());
          }
          return inner;
        });
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
