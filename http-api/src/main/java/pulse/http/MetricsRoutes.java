package pulse.http;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: every metric of this node in the Prometheus text format, for a Prometheus
 * scrape.
 */
public final class MetricsRoutes extends AllDirectives {
  /**
   * What Prometheus expects of the text format 0.0.4 (Akka writes the charset as "UTF-8"; case is
   * free).
   */
  static final ContentType CONTENT_TYPE =
      ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");

  private final PrometheusMeterRegistry metrics;

  public MetricsRoutes(PrometheusMeterRegistry metrics) {
    this.metrics = metrics;
  }

  public Route routes() {
    return path(
        "metrics",
        () ->
            get(
                () ->
                    complete(
                        StatusCodes.OK,
                        HttpEntities.create(
                            CONTENT_TYPE, metrics.scrape().getBytes(StandardCharsets.UTF_8)))));
  }
}
