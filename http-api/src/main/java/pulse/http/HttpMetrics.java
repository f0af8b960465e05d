package pulse.http;

import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Complete;
import akka.http.javadsl.server.Route;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import pulse.engine.metrics.PulseMetrics;

/**
 * Counts each request of an endpoint by the status it is answered with, and times it ({@code
 * pulse_http_requests_total}, {@code pulse_http_request_duration_seconds}).
 *
 * <p>{@link #instrument} seals the route it wraps: rejections and exceptions inside become
 * responses right there (the default handlers, with the request's settings: the same answer the
 * node's top level would give), so a 400 for a bad parameter or a 500 for a failure is counted with
 * the status the client sees. The price: a rejection inside no longer falls through to sibling
 * routes, so wrap an endpoint after its path and method have matched, e.g. {@code path(..., () ->
 * get(() -> http.instrument("GET /v1/x/{id}", () -> ...)))}.
 *
 * <p>The time is from the request reaching the wrapper to its response being ready (status,
 * headers, and a strict entity); a streamed entity's transfer is not included. A request the server
 * times out before the route answers is counted when the route does answer, with the route's
 * status.
 */
public final class HttpMetrics extends AllDirectives {
  private static final double NANOS_PER_SECOND = 1e9;

  private final PulseMetrics metrics;
  private final LongSupplier nanoClock;

  public HttpMetrics(PulseMetrics metrics) {
    this(metrics, System::nanoTime);
  }

  HttpMetrics(PulseMetrics metrics, LongSupplier nanoClock) {
    this.metrics = metrics;
    this.nanoClock = nanoClock;
  }

  /**
   * {@code inner}, sealed and measured under {@code endpointTemplate}: a template such as "GET
   * /v1/users/{id}/recommendations", never the raw path (every distinct label value is a series
   * kept for the life of the node).
   */
  public Route instrument(String endpointTemplate, Supplier<Route> inner) {
    // inner.get() runs per request inside the seal, so an exception thrown while building the inner
    // route is
    // answered (and counted) as a 500 like one thrown while running it. (Not pass(inner): that
    // builds it once,
    // here, outside the seal.)
    Route sealed = extractRequestContext(ignored -> inner.get()).seal();
    return extractRequestContext(
        ctx -> {
          long start = nanoClock.getAsLong();
          return mapRouteResultFuture(
              result ->
                  result.whenComplete(
                      (r, failure) -> {
                        double seconds = (nanoClock.getAsLong() - start) / NANOS_PER_SECOND;
                        if (failure != null) {
                          metrics.httpRequest(
                              endpointTemplate,
                              500,
                              seconds); // only a fatal error gets past the seal
                        } else if (r instanceof Complete c) {
                          metrics.httpRequest(
                              endpointTemplate, c.getResponse().status().intValue(), seconds);
                        }
                        // A sealed route does not reject, so there is no other RouteResult to
                        // count.
                      }),
              () -> sealed);
        });
  }
}
