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
import pulse.testing.PrometheusScrape;

class PulseMetricsTest {
  private final PulseMetrics metrics = new PulseMetrics(PulseMetrics.newRegistry());

  private String scrape() {
    return metrics.registry().scrape();
  }

  private double value(String name, String... labels) {
    return PrometheusScrape.value(scrape(), name, labels);
  }

  @Test
  void everyNamedMetricIsDescribedInTheScrape() {
    metrics.servingModelVersion("v1");
    metrics.httpRequest("GET /health", 200, 0.001);
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
      assertTrue(scrape.contains("# HELP " + name + " "), name + " in\n" + scrape);
      assertTrue(scrape.contains("# TYPE " + name + " "), name + " in\n" + scrape);
    }
  }

  @Test
  void theJvmIsDescribedBesidePulsesOwn() {
    String scrape = scrape();
    assertTrue(PrometheusScrape.has(scrape, "jvm_memory_used_bytes"), scrape);
    assertTrue(PrometheusScrape.has(scrape, "jvm_threads_live_threads"), scrape);
    assertTrue(PrometheusScrape.has(scrape, "process_uptime_seconds"), scrape);
  }

  @Test
  void anHttpRequestCountsByEndpointAndStatusAndTimesByEndpoint() {
    String endpoint = "GET /v1/users/{id}/recommendations";
    metrics.httpRequest(endpoint, 200, 0.003);
    metrics.httpRequest(endpoint, 200, 0.004);
    metrics.httpRequest(endpoint, 503, 0.2);
    assertEquals(2, value("pulse_http_requests_total", "endpoint", endpoint, "status", "200"));
    assertEquals(1, value("pulse_http_requests_total", "endpoint", endpoint, "status", "503"));
    assertEquals(
        2,
        value("pulse_http_request_duration_seconds_bucket", "endpoint", endpoint, "le", "0.005"));
    assertEquals(3, value("pulse_http_request_duration_seconds_count", "endpoint", endpoint));
  }

  @Test
  void batchSizesUsePowersOfTwoBuckets() {
    metrics.inferenceBatch(3, 0.002);
    assertEquals(0, value("pulse_inference_batch_size_bucket", "le", "2.0"));
    assertEquals(1, value("pulse_inference_batch_size_bucket", "le", "4.0"));
    assertEquals(1, value("pulse_inference_batch_size_bucket", "le", "256.0"));
    assertEquals(1, value("pulse_inference_model_seconds_count"));
  }

  @Test
  void slicesCountByModelAndHeldBytesAreTheLastReport() {
    metrics.inferenceSlice(false, 5);
    metrics.inferenceSlice(true, 2);
    metrics.inferenceSlice(true, 1);
    assertEquals(1, value("pulse_inference_model_slice_size_count", "model", "current"));
    assertEquals(5, value("pulse_inference_model_slice_size_sum", "model", "current"));
    assertEquals(2, value("pulse_inference_model_slice_size_count", "model", "pinned"));
    assertEquals(3, value("pulse_inference_model_slice_size_sum", "model", "pinned"));
    metrics.heldModelBytes(4_000, 9_000);
    metrics.heldModelBytes(4_000, 0); // the canary was released
    assertEquals(4_000, value("pulse_inference_held_model_bytes", "model", "current"));
    assertEquals(0, value("pulse_inference_held_model_bytes", "model", "pinned"));
  }

  @Test
  void aFallbackCountsAsAnAnswerAndByReason() {
    metrics.recommendedByModel();
    metrics.recommendedByFallback(FallbackReason.TIMEOUT);
    metrics.recommendedByFallback(FallbackReason.NO_HISTORY);
    metrics.recommendedByFallback(FallbackReason.TIMEOUT);
    assertEquals(1, value("pulse_recommendations_total", "result", "model"));
    assertEquals(3, value("pulse_recommendations_total", "result", "fallback"));
    assertEquals(2, value("pulse_recommendation_fallbacks_total", "reason", "timeout"));
    assertEquals(1, value("pulse_recommendation_fallbacks_total", "reason", "no_history"));
    // Every reason is present from the start, so a rate() over it has a series before the first
    // fallback.
    assertTrue(scrape().contains("pulse_recommendation_fallbacks_total{reason=\"model_error\"}"));
  }

  @Test
  void onlyTheServedModelVersionIsReported() {
    metrics.servingModelVersion("20240101-1");
    metrics.servingModelVersion("20240102-1");
    metrics.servingModelVersion("20240102-1");
    assertEquals(1, value(PulseMetrics.MODEL_VERSION_INFO, "version", "20240102-1"));
    assertFalse(scrape().contains("20240101-1"), scrape());
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
    assertEquals(5, value("pulse_inference_queue_depth"));
    assertEquals(1, value("pulse_inference_timeouts_total"));
    assertEquals(2, value("pulse_inference_rejections_total"));
    assertEquals(1, value("pulse_inference_queue_wait_seconds_bucket", "le", "0.001"));
    assertEquals(10, value("pulse_events_ingested_total", "source", "http"));
    assertEquals(1, value("pulse_events_ingested_total", "source", "kafka"));
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
      assertEquals(
          0,
          PrometheusScrape.value(
              PulseMetrics.get(b.system()).registry().scrape(),
              "pulse_recommendations_total",
              "result",
              "model"));
      assertEquals(
          1,
          PrometheusScrape.value(
              first.registry().scrape(), "pulse_recommendations_total", "result", "model"));
    } finally {
      a.shutdownTestKit();
      b.shutdownTestKit();
    }
  }
}
