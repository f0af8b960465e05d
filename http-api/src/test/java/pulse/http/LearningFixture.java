package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import pulse.bench.DemoTrainingData;
import pulse.bench.WireJson;
import pulse.engine.event.EventType;
import pulse.engine.event.UserEvent;
import pulse.infra.junit.RealInfra;
import pulse.model.cli.ModelCli;

/** What the online-learning integration tests share: a small trained model, HTTP helpers, polling. */
final class LearningFixture {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private LearningFixture() {}

  /** A small model on generated data over the demo catalog, with spare rows for new items. */
  static Path trainModel(RealInfra infra) throws Exception {
    Path data = infra.modelDir().getParent().resolve("learn-train.txt");
    DemoTrainingData.write(data, 600, 120_000);
    Path out = infra.modelDir().resolve("base");
    int code = ModelCli.run(new String[] {"train", "--data", data.toString(), "--format", "sasrec", "--out",
        out.toString(), "--epochs", "6", "--eval-every", "6", "--val-users", "200", "--d", "32", "--max-len", "20",
        "--seed", "11", "--threads", "1"}, System.out, System.err);
    assertEquals(0, code, "training the test model");
    return out;
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(int port, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode model(int port) throws Exception {
    return JsonSupport.MAPPER.readTree(get(port, "/v1/model").body());
  }

  /** The learner stands on a version and this node serves that same one (an error answer never counts). */
  static boolean learnerAndNodeAgree(JsonNode m) {
    JsonNode learner = m.path("learner").path("version");
    return learner.isTextual() && m.path("version").isTextual() && learner.asText().equals(m.path("version").asText());
  }

  /** Polls GET /v1/model until the condition holds. */
  static JsonNode awaitModel(int port, Predicate<JsonNode> condition, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = model(port);
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("timed out waiting for " + what + "; last GET /v1/model: " + last);
  }

  /** Waits until the learner is idle (its version unchanged for 2 s) and this node serves that version. */
  static String awaitSettled(int port) throws Exception {
    String last = null;
    long stableSince = System.nanoTime();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      JsonNode m = model(port);
      String learner = m.path("learner").path("version").asText(null);
      if (!m.path("learner").path("version").isTextual()) {
        last = null; // an error answer (503) or no learner yet
        stableSince = System.nanoTime();
      } else if (!learner.equals(last)) {
        last = learner;
        stableSince = System.nanoTime();
      } else if (learner.equals(m.path("version").asText(null))
          && System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(2)) {
        return learner;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the learner and the node never settled on one version (last " + last + ")");
  }

  /** Clicks of one user on these items, a minute apart, ending now. */
  static List<UserEvent> clicks(String run, String user, List<String> items) {
    List<UserEvent> events = new ArrayList<>();
    long t = System.currentTimeMillis() - items.size() * 60_000L;
    for (String item : items) {
      events.add(new UserEvent(run + "-" + UUID.randomUUID(), user, item, EventType.CLICK, t += 60_000, null, null));
    }
    return events;
  }

  static void postEvents(int port, List<UserEvent> events) throws Exception {
    HttpResponse<String> r = post(port, "/v1/events", WireJson.events(events));
    assertEquals(202, r.statusCode(), r.body());
  }
}
