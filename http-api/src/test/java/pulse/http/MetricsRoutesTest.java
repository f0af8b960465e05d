package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.StatusCodes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import pulse.testing.PrometheusScrape;

class MetricsRoutesTest extends JupiterRouteTest {
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MetricsRoutes routes = new MetricsRoutes(metrics);

  private String scrape() {
    return testRoute(routes.routes()).run(HttpRequest.GET("/metrics")).entityString();
  }

  @Test
  void getMetricsAnswersTheScrapeAsPrometheusText() {
    Counter.builder("pulse_things")
        .description("Things.")
        .tag("kind", "a \"quoted\" kind")
        .register(metrics)
        .increment(3);
    var result = testRoute(routes.routes()).run(HttpRequest.GET("/metrics"));
    result.assertStatusCode(StatusCodes.OK);
    assertEquals("text/plain; version=0.0.4; charset=UTF-8", result.contentTypeString());
    String text = result.entityString();
    assertTrue(text.contains("# HELP pulse_things_total Things."), text);
    assertTrue(text.contains("# TYPE pulse_things_total counter"), text);
    assertEquals(
        3, PrometheusScrape.value(text, "pulse_things_total", "kind", "a \"quoted\" kind"));
  }

  @Test
  void eachScrapeIsCurrent() {
    Counter counter = Counter.builder("pulse_things").register(metrics);
    assertEquals(0, PrometheusScrape.value(scrape(), "pulse_things_total"));
    counter.increment();
    assertEquals(1, PrometheusScrape.value(scrape(), "pulse_things_total"));
  }

  @Test
  void onlyGetIsAnswered() {
    testRoute(routes.routes())
        .run(HttpRequest.POST("/metrics"))
        .assertStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
  }
}
