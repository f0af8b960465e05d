package pulse.load;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * The probes a load balancer and a supervisor send, at a steady rate: /health must never fail,
 * /ready must answer 200 while the node's dependencies are up. A smoke test that the node and the
 * harness work end to end.
 */
public class HealthSimulation extends Simulation {
  ScenarioBuilder probes =
      scenario("probes")
          .exec(
              http("health")
                  .get("/health")
                  .check(status().is(200), jsonPath("$.status").is("alive")))
          .exec(
              http("ready").get("/ready").check(status().is(200), jsonPath("$.ready").is("true")));

  {
    setUp(probes.injectOpen(Target.arrivals(Target.RATE)))
        .protocols(Target.protocol())
        .assertions(
            global().failedRequests().percent().lt(0.1),
            global().responseTime().percentile(99.0).lt(Target.p99Ms(500)));
  }
}
