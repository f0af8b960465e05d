package pulse.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import pulse.engine.metrics.PulseMetrics.FallbackReason;

class PulseMetricsTest {
  private final PulseMetrics metrics = new PulseMetrics(new Metrics());

  private String scrape() {
    return metrics.registry().scrape();
  }

  @Test
  void everyNamedMetricIsDescribedInTheScrape() {
    metrics.registerInferenceQueueDepth(() -> 0);
    String scrape = scrape();
    for (String name :
        List.of(
            PulseMetrics.HTTP_REQUESTS,
            PulseMetrics.HTTP_REQUEST_DURATION,
            PulseMetrics.INFERENCE_BATCH_SIZE,
            PulseMetrics.INFERENCE_QUEUE_WAIT,
            PulseMetrics.INFERENCE_MODEL_TIME,
            PulseMetrics.INFERENCE_QUEUE_DEPTH,
            PulseMetrics.INFERENCE_TIMEOUTS,
            PulseMetrics.INFERENCE_REJECTIONS,
            PulseMetrics.RECOMMENDATIONS,
            PulseMetrics.RECOMMENDATION_FALLBACKS,
            PulseMetrics.MODEL_VERSION_INFO,
            PulseMetrics.EVENTS_INGESTED)) {
      assertTrue(scrape.contains("# HELP " + name + " "), name);
      assertTrue(scrape.contains("# TYPE " + name + " "), name);
    }
  }

  @Test
  void anHttpRequestCountsByEndpointAndStatusAndTimesByEndpoint() {
    String endpoint = "GET /v1/users/{id}/recommendations";
    metrics.httpRequest(endpoint, 200, 0.003);
    metrics.httpRequest(endpoint, 200, 0.004);
    metrics.httpRequest(endpoint, 503, 0.2);
    String scrape = scrape();
    assertTrue(
        scrape.contains(
            "pulse_http_requests_total{endpoint=\"" + endpoint + "\",status=\"200\"} 2\n"));
    assertTrue(
        scrape.contains(
            "pulse_http_requests_total{endpoint=\"" + endpoint + "\",status=\"503\"} 1\n"));
    assertTrue(
        scrape.contains(
            "pulse_http_request_duration_seconds_bucket{endpoint=\""
                + endpoint
                + "\",le=\"0.005\"} 2\n"),
        scrape);
    assertTrue(
        scrape.contains(
            "pulse_http_request_duration_seconds_count{endpoint=\"" + endpoint + "\"} 3\n"));
  }

  @Test
  void batchSizesUsePowersOfTwoBuckets() {
    metrics.inferenceBatch(3, 0.002);
    String scrape = scrape();
    assertTrue(scrape.contains("pulse_inference_batch_size_bucket{le=\"2\"} 0\n"), scrape);
    assertTrue(scrape.contains("pulse_inference_batch_size_bucket{le=\"4\"} 1\n"), scrape);
    assertTrue(scrape.contains("pulse_inference_batch_size_bucket{le=\"256\"} 1\n"), scrape);
    assertTrue(scrape.contains("pulse_inference_model_seconds_count 1\n"), scrape);
  }

  @Test
  void aFallbackCountsAsAnAnswerAndByReason() {
    metrics.recommendedByModel();
    metrics.recommendedByFallback(FallbackReason.TIMEOUT);
    metrics.recommendedByFallback(FallbackReason.NO_HISTORY);
    metrics.recommendedByFallback(FallbackReason.TIMEOUT);
    String scrape = scrape();
    assertTrue(scrape.contains("pulse_recommendations_total{result=\"model\"} 1\n"), scrape);
    assertTrue(scrape.contains("pulse_recommendations_total{result=\"fallback\"} 3\n"), scrape);
    assertTrue(
        scrape.contains("pulse_recommendation_fallbacks_total{reason=\"timeout\"} 2\n"), scrape);
    assertTrue(
        scrape.contains("pulse_recommendation_fallbacks_total{reason=\"no_history\"} 1\n"), scrape);
    // Every reason is present from the start, so a rate() over it has a series before the first
    // fallback.
    assertTrue(
        scrape.contains("pulse_recommendation_fallbacks_total{reason=\"model_error\"} 0\n"),
        scrape);
  }

  @Test
  void onlyTheServedModelVersionIsReported() {
    metrics.servingModelVersion("20240101-1");
    metrics.servingModelVersion("20240102-1");
    metrics.servingModelVersion("20240102-1");
    String scrape = scrape();
    assertTrue(scrape.contains("pulse_model_version_info{version=\"20240102-1\"} 1\n"), scrape);
    assertFalse(scrape.contains("20240101-1"), scrape);
  }

  @Test
  void queueDepthTimeoutsRejectionsAndIngestAreCounted() {
    AtomicInteger depth = new AtomicInteger(5);
    metrics.registerInferenceQueueDepth(depth::get);
    metrics.inferenceTimedOut();
    metrics.inferenceRejected();
    metrics.inferenceRejected();
    metrics.inferenceQueueWait(0.001);
    metrics.eventsIngested(PulseMetrics.SOURCE_HTTP, 10);
    metrics.eventsIngested(PulseMetrics.SOURCE_KAFKA, 1);
    String scrape = scrape();
    assertTrue(scrape.contains("pulse_inference_queue_depth 5\n"), scrape);
    assertTrue(scrape.contains("pulse_inference_timeouts_total 1\n"), scrape);
    assertTrue(scrape.contains("pulse_inference_rejections_total 2\n"), scrape);
    assertTrue(
        scrape.contains("pulse_inference_queue_wait_seconds_bucket{le=\"0.001\"} 1\n"), scrape);
    assertTrue(scrape.contains("pulse_events_ingested_total{source=\"http\"} 10\n"), scrape);
    assertTrue(scrape.contains("pulse_events_ingested_total{source=\"kafka\"} 1\n"), scrape);
  }

  @Test
  void oneRegistryPerActorSystem() {
    ActorTestKit a = ActorTestKit.create("pulse-metrics-a");
    ActorTestKit b = ActorTestKit.create("pulse-metrics-b");
    try {
      PulseMetrics first = PulseMetrics.get(a.system());
      assertSame(first, PulseMetrics.get(a.system()));
      assertSame(first.registry(), PulseMetrics.get(a.system()).registry());
      first.recommendedByModel();
      assertTrue(
          PulseMetrics.get(b.system())
              .registry()
              .scrape()
              .contains("pulse_recommendations_total{result=\"model\"} 0\n"));
      assertEquals(first.registry().scrape(), PulseMetrics.get(a.system()).registry().scrape());
    } finally {
      a.shutdownTestKit();
      b.shutdownTestKit();
    }
  }
}
