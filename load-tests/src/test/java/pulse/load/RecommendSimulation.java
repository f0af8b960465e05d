package pulse.load;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * Read-heavy: many users each ask once for their top-K. Open model (arrivals per second, ramp then
 * plateau), so a slow node faces a growing queue as a real front end would make it. A user is drawn
 * from {@code -Dpulse.users} (uniform, or Zipf with {@code -Dpulse.zipf}); users without history
 * get the fallback, which is still a 200. A 503 (inference queue full, with Retry-After) is a KO:
 * shedding load is a failure at the rate asked for.
 */
public class RecommendSimulation extends Simulation {
  static final String REQUEST = "recommendations";

  ScenarioBuilder readers =
      scenario("recommend")
          .feed(Workload.users())
          .exec(
              http(REQUEST)
                  .get("/v1/users/#{userId}/recommendations")
                  .queryParam("k", Target.K)
                  .check(status().is(200), jsonPath("$.items").exists()));

  {
    setUp(readers.injectOpen(Target.arrivals(Target.RATE)))
        .protocols(Target.protocol())
        .assertions(
            global().failedRequests().percent().lt(1.0),
            details(REQUEST).responseTime().percentile(99.0).lt(Target.p99Ms(500)));
  }
}
