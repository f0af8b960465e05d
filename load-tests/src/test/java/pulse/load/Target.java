package pulse.load;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;

/** Where and how hard a simulation drives: system properties, so one command line tunes every simulation. */
final class Target {
  private Target() {}

  static final String BASE_URL = System.getProperty("pulse.baseUrl", "http://127.0.0.1:8080");
  /** Arrivals per second at the plateau. */
  static final double RATE = Double.parseDouble(System.getProperty("pulse.rate", "200"));
  /** Seconds at the plateau (after a ramp of a fifth of that). */
  static final int SECONDS = Integer.parseInt(System.getProperty("pulse.seconds", "30"));

  static HttpProtocolBuilder protocol() {
    return http.baseUrl(BASE_URL).acceptHeader("application/json").shareConnections();
  }
}
