package pulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The A/B bench's client of the cluster, through the load balancer, with the key of the role each
 * call needs as a real client would hold them: reads with the read key, events with the ingest key,
 * experiments, candidates and rollouts with the admin key ({@code PULSE_API_KEY_*}, which {@code
 * bin/pulse} exports; a role without its own key uses the admin key). A call answered 502 or 503,
 * or not answered (a node busy on two cores), is sent again after a short pause, up to a minute:
 * the replay must not lose a step to a transient refusal; any other answer is returned as it is.
 */
final class AbApi {
  /** An answer: its status and body. */
  record Answer(int status, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  enum Role {
    READ("PULSE_API_KEY_READ"),
    INGEST("PULSE_API_KEY_INGEST"),
    ADMIN("PULSE_API_KEY_ADMIN");

    final String key;

    Role(String variable) {
      String env = System.getenv(variable);
      this.key = env == null || env.isBlank() ? BenchKeys.ADMIN : env;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RETRY_BUDGET = Duration.ofMinutes(1);

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  AbApi(String base) {
    this.base = base;
  }

  String base() {
    return base;
  }

  Answer get(String path, Role role) throws IOException, InterruptedException {
    return send(request(base + path, role).GET().build());
  }

  /** GET that must answer 200; its JSON. */
  JsonNode getJson(String path, Role role) throws IOException, InterruptedException {
    Answer a = get(path, role);
    if (a.status() != 200) {
      throw new IllegalStateException("GET " + path + " answered " + a.status() + ": " + a.body());
    }
    return a.json();
  }

  Answer post(String path, Role role, String json) throws IOException, InterruptedException {
    return send(
        request(base + path, role)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /** POST that must answer 2xx; its JSON. */
  JsonNode postOk(String path, Role role, String json) throws IOException, InterruptedException {
    Answer a = post(path, role, json);
    if (a.status() / 100 != 2) {
      throw new IllegalStateException("POST " + path + " answered " + a.status() + ": " + a.body());
    }
    return a.body().isBlank() ? JSON.nullNode() : a.json();
  }

  /** A GET straight to one node (its HTTP port), not through the load balancer. */
  Answer nodeGet(int port, String path, Role role) throws IOException, InterruptedException {
    return send(request("http://127.0.0.1:" + port + path, role).GET().build());
  }

  /** {@link #nodeGet} with the read key: its JSON, or a JSON null when not answered 200. */
  JsonNode nodeJson(int port, String path) throws IOException, InterruptedException {
    Answer a = nodeGet(port, path, Role.READ);
    return a.status() == 200 ? a.json() : JSON.nullNode();
  }

  /** One GET of {@code url}, not tried again: its status (a health probe, no key needed). */
  int probe(String url) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static HttpRequest.Builder request(String url, Role role) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + role.key);
  }

  private Answer send(HttpRequest request) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + RETRY_BUDGET.toNanos();
    while (true) {
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        boolean transient_ = r.statusCode() == 502 || r.statusCode() == 503;
        if (!transient_ || System.nanoTime() > deadline) {
          return new Answer(r.statusCode(), r.body());
        }
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(250);
    }
  }
}
