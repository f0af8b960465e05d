package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import com.typesafe.config.ConfigFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import pulse.engine.metrics.PulseMetrics;
import pulse.http.auth.ApiAuth;

/** The API's door and error shapes, in memory: keys by role, JSON 401/403/404/405/500. */
class ApiAuthRouteTest extends JupiterRouteTest {
  private static final String ADMIN = "admin-key-0123456789abcdef0123456789";
  private static final String INGEST = "ingest-key-0123456789abcdef012345678";
  private static final String READ = "read-key-0123456789abcdef0123456789ab";

  private final PrometheusMeterRegistry registry = PulseMetrics.newRegistry();
  private final ApiAuth auth =
      ApiAuth.fromConfig(
          ConfigFactory.parseString(
                  "auth.clear-keys { admin = \""
                      + ADMIN
                      + "\", ingest = \""
                      + INGEST
                      + "\", read = \""
                      + READ
                      + "\" }\n"
                      // A small budget for the read key, to see 429s.
                      + "rate-limits { per-key.read = 2, burst-seconds = 1 }")
              .withFallback(ConfigFactory.load().getConfig("pulse.http")),
          new PulseMetrics(registry));

  /** A stand-in API: answers 200 on the routes it has, fails on /v1/boom. */
  private final class Api extends JsonSupport {
    Route routes() {
      return concat(
          path("health", () -> get(() -> complete("alive"))),
          pathPrefix(
              "v1",
              () ->
                  concat(
                      path("events", () -> post(() -> complete("accepted"))),
                      path("model", () -> get(() -> complete("model"))),
                      pathPrefix(
                          "model", () -> path("pause", () -> post(() -> complete("paused")))),
                      path(
                          "boom",
                          () ->
                              get(
                                  () -> {
                                    throw new IllegalStateException(
                                        "secret internals at cassandra-host-7:9042");
                                  })))));
    }
  }

  private Route route() {
    return handleExceptions(
        ApiErrors.exceptions(),
        () -> handleRejections(ApiErrors.rejections(), () -> auth.protect(new Api().routes())));
  }

  private static HttpRequest as(HttpRequest r, String key) {
    return r.addHeader(RawHeader.create("Authorization", "Bearer " + key));
  }

  @Test
  void withoutAKeyA401WithAChallengeAndAJsonBody() {
    var r = testRoute(route()).run(HttpRequest.POST("/v1/model/pause"));
    r.assertStatusCode(StatusCodes.UNAUTHORIZED);
    r.assertHeaderExists("WWW-Authenticate", "Bearer realm=\"pulse\"");
    assertTrue(r.entityString().contains("\"error\""), r.entityString());
  }

  @Test
  void anUnknownKeyIsA401ThatNamesNoKey() {
    var r =
        testRoute(route())
            .run(as(HttpRequest.POST("/v1/model/pause"), "nope-0123456789abcdef0123456789ab"));
    r.assertStatusCode(StatusCodes.UNAUTHORIZED);
    assertFalse(r.entityString().contains("nope"), r.entityString());
    assertFalse(r.entityString().contains("admin-key"), r.entityString());
  }

  @Test
  void theWrongRoleIsA403AndTheRightOneGetsThrough() {
    testRoute(route())
        .run(as(HttpRequest.POST("/v1/model/pause"), READ))
        .assertStatusCode(StatusCodes.FORBIDDEN);
    testRoute(route())
        .run(as(HttpRequest.POST("/v1/model/pause"), INGEST))
        .assertStatusCode(StatusCodes.FORBIDDEN);
    testRoute(route())
        .run(as(HttpRequest.POST("/v1/model/pause"), ADMIN))
        .assertStatusCode(StatusCodes.OK);
    testRoute(route())
        .run(as(HttpRequest.POST("/v1/events"), INGEST))
        .assertStatusCode(StatusCodes.OK);
    testRoute(route())
        .run(as(HttpRequest.POST("/v1/events"), READ))
        .assertStatusCode(StatusCodes.FORBIDDEN);
    testRoute(route()).run(as(HttpRequest.GET("/v1/model"), READ)).assertStatusCode(StatusCodes.OK);
    testRoute(route())
        .run(as(HttpRequest.GET("/v1/model"), INGEST))
        .assertStatusCode(StatusCodes.FORBIDDEN);
  }

  @Test
  void aKeyOverItsRateIsA429WithRetryAfterAndIsCounted() {
    HttpRequest get = as(HttpRequest.GET("/v1/model"), READ);
    int ok = 0;
    int limited = 0;
    for (int i = 0; i < 10; i++) {
      var r = testRoute(route()).run(get);
      if (r.statusCode() == 429) {
        limited++;
        assertTrue(
            Integer.parseInt(r.response().getHeader("Retry-After").orElseThrow().value()) >= 1);
        assertTrue(r.entityString().contains("rate limit"), r.entityString());
      } else {
        ok++;
      }
    }
    assertTrue(ok >= 2 && ok <= 4, "a burst of 2 (plus what refilled meanwhile): " + ok);
    assertTrue(limited >= 6, "the rest refused: " + limited);
    testRoute(route())
        .run(as(HttpRequest.GET("/v1/model"), ADMIN))
        .assertStatusCode(StatusCodes.OK); // another key has its own bucket
    String scrape = registry.scrape();
    assertTrue(
        scrape.contains("pulse_http_rate_limited_total{key=\"PULSE_API_KEY_READ\"}"), scrape);
  }

  @Test
  void openPathsNeedNoKey() {
    testRoute(route()).run(HttpRequest.GET("/health")).assertStatusCode(StatusCodes.OK);
  }

  @Test
  void unknownPathsAndMethodsAreJsonErrorsForCallersWithAKey() {
    testRoute(route())
        .run(HttpRequest.GET("/v1/no-such-route"))
        .assertStatusCode(StatusCodes.UNAUTHORIZED);
    var notFound = testRoute(route()).run(as(HttpRequest.GET("/v1/no-such-route"), READ));
    notFound.assertStatusCode(StatusCodes.NOT_FOUND);
    assertEquals("application/json", notFound.contentTypeString());
    var method = testRoute(route()).run(as(HttpRequest.PUT("/v1/events"), ADMIN));
    method.assertStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
    assertTrue(method.entityString().startsWith("{\"error\""), method.entityString());
  }

  @Test
  void aFailureIsA500WithAnErrorIdAndNoExceptionText() {
    var r = testRoute(route()).run(as(HttpRequest.GET("/v1/boom"), READ));
    r.assertStatusCode(StatusCodes.INTERNAL_SERVER_ERROR);
    assertTrue(r.entityString().matches(".*\"errorId\":\"[0-9a-f]{16}\".*"), r.entityString());
    assertFalse(r.entityString().contains("cassandra-host"), r.entityString());
    assertFalse(r.entityString().contains("IllegalState"), r.entityString());
  }
}
