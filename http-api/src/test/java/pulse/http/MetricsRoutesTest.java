package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.StatusCodes;
import org.junit.jupiter.api.Test;
import pulse.engine.metrics.Metrics;

class MetricsRoutesTest extends JupiterRouteTest {
  private final Metrics metrics = new Metrics();
  private final MetricsRoutes routes = new MetricsRoutes(metrics);

  @Test
  void getMetricsAnswersTheScrapeAsPrometheusText() {
    metrics.counter("pulse_things_total", "Things.", "kind").labels("a \"quoted\" kind").inc(3);
    var result = testRoute(routes.routes()).run(HttpRequest.GET("/metrics"));
    result.assertStatusCode(StatusCodes.OK);
    assertEquals("text/plain; version=0.0.4; charset=UTF-8", result.contentTypeString());
    assertEquals(
        """
        # HELP pulse_things_total Things.
        # TYPE pulse_things_total counter
        pulse_things_total{kind="a \\"quoted\\" kind"} 3
        """,
        result.entityString());
  }

  @Test
  void eachScrapeIsCurrent() {
    var counter = metrics.counter("pulse_things_total", "Things.");
    testRoute(routes.routes())
        .run(HttpRequest.GET("/metrics"))
        .assertEntity(
            """
        # HELP pulse_things_total Things.
        # TYPE pulse_things_total counter
        pulse_things_total 0
        """);
    counter.inc();
    testRoute(routes.routes())
        .run(HttpRequest.GET("/metrics"))
        .assertEntity(
            """
        # HELP pulse_things_total Things.
        # TYPE pulse_things_total counter
        pulse_things_total 1
        """);
  }

  @Test
  void onlyGetIsAnswered() {
    testRoute(routes.routes())
        .run(HttpRequest.POST("/metrics"))
        .assertStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
  }
}
