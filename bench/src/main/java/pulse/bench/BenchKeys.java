package pulse.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The API key benches call with, as a real client does. Against a cluster that {@code bin/pulse}
 * started, the admin key it exported ({@code PULSE_API_KEY_ADMIN}, from var/api-keys.env); for the
 * benches' own in-process nodes, which {@link #nodeConfig} configures with it, the same or, when
 * unset, one made up for this run.
 */
final class BenchKeys {
  static final String ADMIN = adminKey();

  private BenchKeys() {}

  /** A request to {@code uri} carrying the admin key. */
  static HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + ADMIN);
  }

  /** What an in-process bench node needs to accept {@link #ADMIN}. */
  static Config nodeConfig() {
    return ConfigFactory.parseString("pulse.http.auth.clear-keys.admin = \"" + ADMIN + "\"");
  }

  private static String adminKey() {
    String env = System.getenv("PULSE_API_KEY_ADMIN");
    if (env != null && !env.isBlank()) {
      return env;
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    return "bench-" + HexFormat.of().formatHex(random);
  }
}
