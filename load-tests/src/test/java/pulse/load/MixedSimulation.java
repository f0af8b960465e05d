package pulse.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Does the engine react to the last click? Each arrival takes one user and: asks for
 * recommendations (with {@code excludeSeen=true}) and keeps the item ids; posts that user's clicks
 * and views on the top 3 of that list (3 popular items when the list was empty), plus an
 * add-to-cart of the first; asks again the moment the 202 says the events are persisted, and
 * requires a different list. An unchanged list is a KO of the request {@value #AFTER}, with the
 * message "recommendations unchanged after the user's events", so the failure assertion catches a
 * node that ignores fresh events (or serves them from a stale cache).
 *
 * <p>Beside it, recommend-only traffic at {@code -Dpulse.readRate} arrivals/s (default {@code
 * pulse.rate}; 0 for none), as in {@link RecommendSimulation}, on the same user pool.
 */
public class MixedSimulation extends Simulation {
  static final String BEFORE = "recommendations before events";
  static final String EVENTS = "events of that user";
  static final String AFTER = "recommendations after events (must change)";
  static final String BACKGROUND = "recommendations (background)";
  static final String UNCHANGED = "recommendations unchanged after the user's events";

  /** How many items of the first list the user clicks. */
  static final int CLICKS = 3;

  static final double READ_RATE =
      Double.parseDouble(System.getProperty("pulse.readRate", Double.toString(Target.RATE)));

  static HttpRequestActionBuilder recommend(String name) {
    return http(name)
        .get("/v1/users/#{userId}/recommendations")
        .queryParam("k", Target.K)
        .queryParam("excludeSeen", true);
  }

  /** Click and view on the items the user was shown first, then put the top one in the cart. */
  static String actOn(Session session) {
    String userId = session.getString("userId");
    List<String> shown = session.getList("before");
    List<String> targets = new ArrayList<>(shown.subList(0, Math.min(CLICKS, shown.size())));
    while (targets.size() < CLICKS) {
      targets.add(Workload.randomItem());
    }
    long t = System.currentTimeMillis();
    List<String> events = new ArrayList<>();
    for (String item : targets) {
      events.add(Workload.event(userId, item, "click", t++));
      events.add(Workload.event(userId, item, "view", t++));
    }
    events.add(Workload.event(userId, targets.get(0), "add_to_cart", t));
    return Workload.array(events);
  }

  static List<String> differentFromBefore(List<String> after, Session session) {
    List<String> before = session.getList("before");
    if (after.equals(before)) {
      throw new IllegalStateException(UNCHANGED);
    }
    return after;
  }

  ScenarioBuilder learners =
      scenario("mixed")
          .feed(Workload.users())
          .exec(
              recommend(BEFORE)
                  .check(
                      status().is(200),
                      jsonPath("$.items").exists(),
                      jsonPath("$.items[*].itemId")
                          .findAll()
                          .withDefault(List.of())
                          .saveAs("before")))
          .exitHereIfFailed()
          .exec(
              http(EVENTS)
                  .post("/v1/events")
                  .header("Content-Type", "application/json")
                  .body(StringBody(MixedSimulation::actOn))
                  .check(status().is(202), jsonPath("$.accepted").ofInt().is(2 * CLICKS + 1)))
          .exitHereIfFailed()
          .exec(
              recommend(AFTER)
                  .check(
                      status().is(200),
                      jsonPath("$.items").exists(),
                      jsonPath("$.items[*].itemId")
                          .findAll()
                          .withDefault(List.of())
                          .validate(
                              "changed by the events", MixedSimulation::differentFromBefore)));

  ScenarioBuilder readers =
      scenario("recommend (background)")
          .feed(Workload.users())
          .exec(
              http(BACKGROUND)
                  .get("/v1/users/#{userId}/recommendations")
                  .queryParam("k", Target.K)
                  .check(status().is(200), jsonPath("$.items").exists()));

  {
    List<PopulationBuilder> populations = new ArrayList<>();
    populations.add(learners.injectOpen(Target.arrivals(Target.RATE)));
    if (READ_RATE > 0) {
      populations.add(readers.injectOpen(Target.arrivals(READ_RATE)));
    }
    setUp(populations)
        .protocols(Target.protocol())
        .assertions(
            global().failedRequests().percent().lt(1.0),
            details(AFTER).failedRequests().percent().lt(1.0),
            global().responseTime().percentile(99.0).lt(Target.p99Ms(1000)));
  }
}
