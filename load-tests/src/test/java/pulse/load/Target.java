package pulse.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * Where and how hard a simulation drives: system properties, so one command line tunes every
 * simulation.
 */
final class Target {
  private Target() {}

  static final String BASE_URL = System.getProperty("pulse.baseUrl", "http://127.0.0.1:8080");

  /** Arrivals per second at the plateau. */
  static final double RATE = Double.parseDouble(System.getProperty("pulse.rate", "200"));

  /** Seconds at the plateau (after a ramp of a fifth of that). */
  static final int SECONDS = Integer.parseInt(System.getProperty("pulse.seconds", "30"));

  /**
   * Users the workload draws from: ids as the demo's synthetic shop names them (see {@link
   * Workload}).
   */
  static final int USERS = Integer.parseInt(System.getProperty("pulse.users", "10000"));

  /** Items events refer to: {@code sku-00000} ... (the demo's catalog has 500). */
  static final int ITEMS = Integer.parseInt(System.getProperty("pulse.items", "500"));

  /**
   * Skew of the user draw: 0 = uniform, otherwise Zipf's exponent (rank 1 = {@code user-0001} the
   * busiest).
   */
  static final double USER_ZIPF = Double.parseDouble(System.getProperty("pulse.zipf", "0"));

  /** Events per {@code POST /v1/events} in IngestSimulation. */
  static final int BATCH = Integer.parseInt(System.getProperty("pulse.batch", "50"));

  /** Recommendations asked for. */
  static final int K = Integer.parseInt(System.getProperty("pulse.k", "10"));

  /** The p99 response time (ms) a simulation asserts; each simulation has its own default. */
  static int p99Ms(int defaultMs) {
    return Integer.parseInt(System.getProperty("pulse.p99Ms", Integer.toString(defaultMs)));
  }

  /**
   * Open model: arrivals ramp from 1/s to {@code rate}/s over a fifth of the plateau, then hold it.
   */
  static OpenInjectionStep[] arrivals(double rate) {
    return new OpenInjectionStep[] {
      rampUsersPerSec(Math.min(1, rate)).to(rate).during(Math.max(1, SECONDS / 5)),
      constantUsersPerSec(rate).during(SECONDS)
    };
  }

  /**
   * The API key every request carries, as a client's would: {@code -Dpulse.apiKey}, else {@code
   * PULSE_API_KEY_ADMIN} (which bin/pulse exports from var/api-keys.env).
   */
  static final String API_KEY =
      System.getProperty("pulse.apiKey", System.getenv().getOrDefault("PULSE_API_KEY_ADMIN", ""));

  static HttpProtocolBuilder protocol() {
    HttpProtocolBuilder p =
        http.baseUrl(BASE_URL).acceptHeader("application/json").shareConnections();
    return API_KEY.isEmpty() ? p : p.authorizationHeader("Bearer " + API_KEY);
  }
}
