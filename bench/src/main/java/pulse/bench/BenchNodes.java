package pulse.bench;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import pulse.engine.event.UserEvent;
import pulse.engine.metrics.PulseMetrics;
import pulse.engine.user.UserEntity;
import pulse.http.PulseNode;
import pulse.infra.PulseConfig;

/**
 * What every bench does with the node it runs in its own JVM: start it, wait for it, load data into
 * it.
 */
final class BenchNodes {
  /** A node of its own cluster, on free ports, that leaves the bench's JVM alone when it stops. */
  private static final Config IN_PROCESS =
      ConfigFactory.parseString(
          String.join(
              "\n",
              "akka.remote.artery.canonical.port = 0",
              "akka.cluster.seed-nodes = []",
              "akka.coordinated-shutdown.exit-jvm = off",
              "pulse.http.port = 0",
              "pulse.http.drain-delay = 0s",
              "akka.management.http.port = 0"));

  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchNodes() {}

  /**
   * Starts a node with the project's config plus {@code overrides}, pointed at {@code infra}'s
   * servers, and returns once its /ready answers 200.
   */
  static PulseNode start(BenchInfra infra, Config overrides) throws Exception {
    PulseNode node =
        PulseNode.start(
            PulseConfig.load(
                PulseConfig.home(),
                Path.of("conf", "application.conf"),
                overrides
                    .withFallback(infra.nodeConfig())
                    .withFallback(BenchKeys.nodeConfig())
                    .withFallback(IN_PROCESS)));
    awaitReady(node.httpPort());
    return node;
  }

  /** The user actors alive now in {@code node}'s shards (not passivated). */
  static int residentUsers(PulseNode node) throws Exception {
    ActorSystem<Void> system = node.system();
    ShardRegion.CurrentShardRegionState state =
        AskPattern.<Object, ShardRegion.CurrentShardRegionState>ask(
                ClusterSharding.get(system).shardState().unsafeUpcast(),
                replyTo -> new GetShardRegionState(UserEntity.TYPE_KEY, replyTo),
                Duration.ofSeconds(10),
                system.scheduler())
            .toCompletableFuture()
            .get(15, TimeUnit.SECONDS);
    return state.getShards().stream().mapToInt(s -> s.getEntityIds().size()).sum();
  }

  /**
   * Waits until {@code node}'s online learner has loaded its base model, the node serves a version,
   * and the learner reads feedback (GET /v1/model); returns its "learner" object. Reading too: a
   * learner whose feedback stream is not up yet (the topic just made, its partitions not known, a
   * restart backing off) would miss the replay's first examples, or all of them when it is short.
   */
  static JsonNode awaitLearner(int port) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest model =
        BenchKeys.request(URI.create("http://127.0.0.1:" + port + "/v1/model"))
            .timeout(Duration.ofSeconds(30))
            .build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = client.send(model, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        last = JSON.readTree(r.body());
        JsonNode learner = last.path("learner");
        if (learner.path("version").isTextual()
            && last.path("version").isTextual()
            && learner.path("learning").asBoolean(false)) {
          return learner;
        }
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "the learner did not start reading from the offline model within 180 s: " + last);
  }

  /** The learner's counts so far, as JSON: examples seen, versions published and refused. */
  static String learnerFigures(PulseNode node) {
    MeterRegistry registry = PulseMetrics.get(node.system()).registry();
    return String.format(
        Locale.ROOT,
        "{\"examples\":%.0f,\"versions\":%.0f,\"rejected\":%.0f}",
        gauge(registry, "pulse_learning_examples"),
        count(registry, "pulse_learning_versions"),
        count(registry, "pulse_learning_rejected"));
  }

  private static double gauge(MeterRegistry registry, String name) {
    Gauge g = registry.find(name).gauge();
    return g == null ? Double.NaN : g.value();
  }

  private static double count(MeterRegistry registry, String name) {
    Counter c = registry.find(name).counter();
    return c == null ? Double.NaN : c.count();
  }

  static void awaitReady(int port) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest ready =
        BenchKeys.request(URI.create("http://127.0.0.1:" + port + "/ready")).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the bench node did not become ready");
  }

  /** POSTs each body in turn; any answer other than 2xx fails the bench, naming it. */
  static void postAll(String base, String path, List<String> bodies) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    for (String body : bodies) {
      HttpResponse<String> r =
          client.send(
              BenchKeys.request(URI.create(base + path))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .timeout(Duration.ofSeconds(60))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
      }
    }
  }

  /**
   * A new folder whose only model is {@code model} (a link to it), for a node's {@code
   * pulse.model.dir}: a node serves the newest model of its folder, and the folder {@code model}
   * lies in may hold others (one of another loss, a smaller run's). The link and the folder go when
   * the JVM exits.
   */
  static Path aloneInFolder(Path model) throws IOException {
    if (!Files.isRegularFile(model.resolve("manifest.json"))) {
      throw new IllegalArgumentException("no manifest.json in " + model);
    }
    Path root = Files.createTempDirectory("pulse-bench-models");
    Path link = Files.createSymbolicLink(root.resolve(model.getFileName()), model.toAbsolutePath());
    root.toFile()
        .deleteOnExit(); // deleted in reverse order of registration: the link, then the folder
    link.toFile().deleteOnExit();
    return root;
  }

  /**
   * Gives a replay its own users and event ids, so it is never a duplicate of another (or recovers
   * its journal).
   */
  static List<UserEvent> relabel(List<UserEvent> events, String prefix) {
    return events.stream()
        .map(
            e ->
                new UserEvent(
                    prefix + "-" + e.eventId(),
                    prefix + "-" + e.userId(),
                    e.itemId(),
                    e.type(),
                    e.timestamp(),
                    e.value(),
                    e.context()))
        .toList();
  }
}
