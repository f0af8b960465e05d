package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.StringUnmarshallers;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import pulse.engine.metrics.PulseMetrics;
import pulse.testing.PrometheusScrape;

class HttpMetricsTest extends JupiterRouteTest {
  private static final String ENDPOINT = "GET /v1/things/{id}";

  private final PulseMetrics metrics = new PulseMetrics(PulseMetrics.newRegistry());

  /** Each reading is 3 ms after the previous one, so every request takes 3 ms. */
  private final AtomicLong clock = new AtomicLong();

  private final HttpMetrics http = new HttpMetrics(metrics, () -> clock.addAndGet(3_000_000));

  private Route things(Route endpoint) {
    return pathPrefix(
        "things", () -> path(id -> get(() -> http.instrument(ENDPOINT, () -> endpoint))));
  }

  private double requests(String status) {
    return PrometheusScrape.value(
        scrape(), "pulse_http_requests_total", "endpoint", ENDPOINT, "status", status);
  }

  private String scrape() {
    return metrics.registry().scrape();
  }

  @Test
  void aCompletedRequestIsCountedByStatusAndTimed() {
    Route route = things(complete(StatusCodes.OK, "fine"));
    testRoute(route).run(HttpRequest.GET("/things/1")).assertStatusCode(200).assertEntity("fine");
    testRoute(route).run(HttpRequest.GET("/things/2")).assertStatusCode(200);
    String scrape = scrape();
    assertEquals(2, requests("200"), scrape);
    String bucket = "pulse_http_request_duration_seconds_bucket";
    assertEquals(0, PrometheusScrape.value(scrape, bucket, "endpoint", ENDPOINT, "le", "0.0025"));
    assertEquals(2, PrometheusScrape.value(scrape, bucket, "endpoint", ENDPOINT, "le", "0.005"));
    assertEquals(
        0.006,
        PrometheusScrape.value(
            scrape, "pulse_http_request_duration_seconds_sum", "endpoint", ENDPOINT),
        1e-9);
  }

  @Test
  void anErrorStatusTheRouteChoosesIsCountedAsIs() {
    testRoute(things(complete(StatusCodes.SERVICE_UNAVAILABLE, "later")))
        .run(HttpRequest.GET("/things/1"))
        .assertStatusCode(503);
    assertEquals(1, requests("503"), scrape());
  }

  @Test
  void anExceptionWhileRunningOrBuildingTheRouteIsA500AndCounted() {
    Route failedFuture =
        things(
            onSuccess(
                CompletableFuture.failedFuture(new IllegalStateException("store down")),
                v -> complete("never")));
    testRoute(failedFuture).run(HttpRequest.GET("/things/1")).assertStatusCode(500);
    Route throwing =
        pathPrefix(
            "things",
            () ->
                path(
                    id ->
                        get(
                            () ->
                                http.instrument(
                                    ENDPOINT,
                                    () -> {
                                      throw new IllegalStateException("bug");
                                    }))));
    testRoute(throwing).run(HttpRequest.GET("/things/1")).assertStatusCode(500);
    assertEquals(2, requests("500"), scrape());
  }

  @Test
  void aRejectionInsideIsCountedWithTheStatusItIsAnsweredWith() {
    Route route =
        things(
            parameter(StringUnmarshallers.INTEGER, "limit", limit -> complete("limit " + limit)));
    testRoute(route).run(HttpRequest.GET("/things/1?limit=ten")).assertStatusCode(400);
    testRoute(route).run(HttpRequest.GET("/things/1?limit=10")).assertEntity("limit 10");
    assertEquals(1, requests("400"), scrape());
    assertEquals(1, requests("200"), scrape());
  }

  @Test
  void requestsThatNeverReachTheWrapperAreNotCountedAndSiblingsStillMatch() {
    Route route = concat(things(complete("thing")), path("other", () -> complete("other")));
    testRoute(route).run(HttpRequest.GET("/other")).assertEntity("other");
    testRoute(route).run(HttpRequest.GET("/nowhere")).assertStatusCode(404);
    testRoute(route).run(HttpRequest.POST("/things/1")).assertStatusCode(405);
    assertFalse(scrape().contains("pulse_http_requests_total{"), scrape());
  }

  @Test
  void theTemplateNotThePathIsTheLabel() {
    Route route = things(complete("thing"));
    // An assertion makes run() wait for the response: TestRouteResult awaits it lazily, so a bare
    // run() can
    // return before the wrapper has counted the request.
    testRoute(route).run(HttpRequest.GET("/things/1")).assertStatusCode(200);
    testRoute(route).run(HttpRequest.GET("/things/2")).assertStatusCode(200);
    assertEquals(
        1,
        scrape().lines().filter(l -> l.startsWith("pulse_http_requests_total{")).count(),
        scrape());
  }
}
