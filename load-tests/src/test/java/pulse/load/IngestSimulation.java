package pulse.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.ArrayList;
import java.util.List;

/**
 * Write path: each arrival posts one batch of {@code -Dpulse.batch} events (default 50) of random
 * users and Zipf-popular items, types view/click/add_to_cart/purchase (60/25/10/5 %), timestamps
 * now. Event ids are {@code <run id>-<counter>}, so every event is new, also on a rerun: the check
 * wants a 202 with every event accepted (none duplicate or rejected). The 202 comes once the events
 * are persisted, so the response time is the time to durable. Events per second = {@code
 * pulse.rate} x {@code pulse.batch}.
 */
public class IngestSimulation extends Simulation {
  static final String REQUEST = "events batch";

  static String batch() {
    long now = System.currentTimeMillis();
    List<String> events = new ArrayList<>(Target.BATCH);
    for (int i = 0; i < Target.BATCH; i++) {
      events.add(
          Workload.event(Workload.randomUser(), Workload.randomItem(), Workload.randomType(), now));
    }
    return Workload.array(events);
  }

  ScenarioBuilder writers =
      scenario("ingest")
          .exec(
              http(REQUEST)
                  .post("/v1/events")
                  .header("Content-Type", "application/json")
                  .body(StringBody(session -> batch()))
                  .check(status().is(202), jsonPath("$.accepted").ofInt().is(Target.BATCH)));

  {
    if (Target.BATCH < 1 || Target.BATCH > 1000) {
      throw new IllegalArgumentException(
          "pulse.batch must be 1..1000 (the node's limit), got " + Target.BATCH);
    }
    setUp(writers.injectOpen(Target.arrivals(Target.RATE)))
        .protocols(Target.protocol())
        .assertions(
            global().failedRequests().percent().lt(1.0),
            details(REQUEST).responseTime().percentile(99.0).lt(Target.p99Ms(2000)));
  }
}
