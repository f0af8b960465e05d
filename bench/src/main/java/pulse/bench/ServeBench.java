package pulse.bench;

import com.sun.management.OperatingSystemMXBean;
import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pulse.engine.event.Item;
import pulse.engine.event.UserEvent;
import pulse.engine.inference.ModelRepository;
import pulse.http.JsonSupport;
import pulse.http.PulseNode;
import pulse.model.cli.ModelCli;

/**
 * {@code bin/pulse bench serve}: the recommendation path end to end (HTTP, user actor, inference
 * pool, encoder) with batching on and with batching off (max batch 1), side by side in one run.
 *
 * <p>Steps: start the local Cassandra and Kafka if needed; train a model on generated data (the
 * demo shop's catalog, many users) unless {@code --model DIR} is given; load the catalog and {@code
 * --users} user histories into a node; then per mode start a node in this JVM with that max batch
 * size and measure (1) a closed loop of {@code --clients} concurrent clients (the maximum
 * throughput), and (2) an open loop at half the batched maximum (tail latency at a load both modes
 * are offered alike). Prints a table and a final JSON line, and writes the latency histograms as
 * HTML. Impressions are not recorded while measuring unless {@code --impressions}: each would add a
 * Cassandra write per request, which measures Cassandra, not serving.
 */
public final class ServeBench {
  private static final int DEFAULT_TRAIN_USERS = 5000;
  private static final int DEFAULT_EPOCHS = 40;

  /** Training events per generated user (1,000,000 for the default 5,000 users). */
  private static final int TRAIN_EVENTS_PER_USER = 200;

  private final Path modelArg;
  private final int trainUsers;
  private final int epochs;
  private final int items;
  private final int users;
  private final int clients;
  private final double seconds;
  private final boolean impressions;
  private final Path report;
  private final BenchInfra.Servers servers;
  private final PrintStream out = System.out;

  private ServeBench(
      Path model,
      int trainUsers,
      int epochs,
      int items,
      int users,
      int clients,
      double seconds,
      boolean impressions,
      Path report,
      BenchInfra.Servers servers) {
    this.trainUsers = trainUsers;
    this.epochs = epochs;
    this.servers = servers;
    this.modelArg = model;
    this.items = items;
    this.users = users;
    this.clients = clients;
    this.seconds = seconds;
    this.impressions = impressions;
    this.report = report;
  }

  public static void main(String[] args) throws Exception {
    Path model = null;
    int trainUsers = DEFAULT_TRAIN_USERS;
    int epochs = DEFAULT_EPOCHS;
    int users = 2000;
    int items = 10_000;
    int clients = 64;
    double seconds = 15;
    boolean impressions = false;
    Path report = BenchInfra.benchDir().resolve("serve-latency.html");
    String cassandra = null;
    String kafka = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--model" -> model = Path.of(args[++i]);
        case "--train-users" -> trainUsers = Integer.parseInt(args[++i]);
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        case "--users" -> users = Integer.parseInt(args[++i]);
        case "--items" -> items = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--impressions" -> impressions = true;
        case "--report" -> report = Path.of(args[++i]);
        case "--cassandra" -> cassandra = args[++i];
        case "--kafka" -> kafka = args[++i];
        default -> {
          System.err.println(
              "usage: bin/pulse bench serve [--model DIR | --train-users 5000 --epochs 40] "
                  + "[--items 10000] [--users 2000] [--clients 64] [--seconds 15] [--impressions] [--report FILE.html] "
                  + BenchInfra.USAGE);
          System.exit(2);
        }
      }
    }
    if (trainUsers < 1 || epochs < 1 || items < 1 || users < 1 || clients < 1 || !(seconds > 0)) {
      System.err.println(
          "bench serve: --train-users, --epochs, --items, --users, --clients must be at least 1, "
              + "--seconds above 0");
      System.exit(2);
    }
    BenchInfra.Servers servers = null;
    try {
      servers = BenchInfra.Servers.parse(cassandra, kafka);
    } catch (IllegalArgumentException e) {
      System.err.println("bench serve: " + e.getMessage());
      System.exit(2);
    }
    new ServeBench(
            model, trainUsers, epochs, items, users, clients, seconds, impressions, report, servers)
        .run();
    System.exit(0);
  }

  private void run() throws Exception {
    try (BenchInfra infra = BenchInfra.open(servers, l -> out.println("infra: " + l))) {
      Path models = modelArg != null ? BenchNodes.aloneInFolder(modelArg) : train();
      SyntheticData.Dataset shop =
          SyntheticData.generate(
              new SyntheticData.Spec(
                  SyntheticData.Spec.demo(Instant.now()).seed() + 1,
                  items,
                  users,
                  users * 25,
                  Instant.now(),
                  Duration.ofDays(3)));
      // Same catalog as the model's training data (DemoTrainingData: the demo seed, this size).
      List<Item> catalog =
          SyntheticData.catalog(SyntheticData.Spec.demo(Instant.now()).seed(), items);
      String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
      List<UserEvent> events =
          shop.events().stream()
              .map(
                  e ->
                      new UserEvent(
                          "sb" + run + "-" + e.eventId(),
                          "sb" + run + "-" + e.userId(),
                          e.itemId(),
                          e.type(),
                          e.timestamp(),
                          e.value(),
                          e.context()))
              .toList();
      List<String> userIds = events.stream().map(UserEvent::userId).distinct().toList();

      Map<String, Measured> results = new LinkedHashMap<>();
      Double openRate = null;
      for (int maxBatch : new int[] {128, 1}) {
        String mode =
            maxBatch == 1 ? "unbatched (max batch 1)" : "batched (max batch " + maxBatch + ")";
        PulseNode node = startNode(infra, models, maxBatch);
        try {
          String base = "http://127.0.0.1:" + node.httpPort();
          if (results.isEmpty()) {
            out.printf(
                Locale.ROOT,
                "loading %,d items and %,d events of %,d users ...%n",
                catalog.size(),
                events.size(),
                userIds.size());
            BenchNodes.postAll(base, "/v1/items", WireJson.itemBatches(catalog, 1000));
            BenchNodes.postAll(base, "/v1/events", WireJson.eventBatches(events, 1000));
          }
          awaitModel(base);
          LoadDriver driver = new LoadDriver(base, userIds, 10);
          out.println(
              mode
                  + ": warm-up (every user once, then "
                  + Math.min(5, seconds)
                  + " s, not measured) ...");
          driver.closedLoop("warm-up", clients, Math.min(5, seconds));
          Measured closed =
              measure(
                  base,
                  () -> driver.closedLoop(mode + ", " + clients + " clients", clients, seconds));
          results.put(mode + " closed", closed);
          out.println("  " + row(closed));
          if (openRate == null) {
            openRate = Math.max(10, closed.result().modelThroughput() / 2);
          }
          double rate = openRate;
          Measured open =
              measure(
                  base,
                  () ->
                      driver.openLoop(
                          mode + String.format(Locale.ROOT, ", %.0f/s", rate),
                          rate,
                          seconds,
                          5_000));
          results.put(mode + " open", open);
          out.println("  " + row(open));
        } finally {
          node.awaitStopped(Duration.ofSeconds(60));
        }
      }
      print(results, openRate);
    }
  }

  /**
   * One measured run with the node's mean batch size, model time per call, queue wait and the JVM's
   * CPU use.
   */
  record Measured(
      LoadDriver.Result result,
      double meanBatch,
      double modelMsPerCall,
      double queueMs,
      double cores) {}

  interface Run {
    LoadDriver.Result go() throws Exception;
  }

  private Measured measure(String base, Run run) throws Exception {
    Map<String, Double> before = scrape(base);
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    LoadDriver.Result r = run.go();
    double cores = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - t0);
    Map<String, Double> after = scrape(base);
    double batches = delta(before, after, "pulse_inference_batch_size_count");
    double waits = delta(before, after, "pulse_inference_queue_wait_seconds_count");
    return new Measured(
        r,
        batches == 0
            ? Double.NaN
            : delta(before, after, "pulse_inference_batch_size_sum") / batches,
        batches == 0
            ? Double.NaN
            : 1000 * delta(before, after, "pulse_inference_model_seconds_sum") / batches,
        waits == 0
            ? Double.NaN
            : 1000 * delta(before, after, "pulse_inference_queue_wait_seconds_sum") / waits,
        cores);
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
    return after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
  }

  /** The node's unlabelled samples from /metrics, by name. */
  private static Map<String, Double> scrape(String base) throws Exception {
    String text =
        HttpClient.newHttpClient()
            .send(
                BenchKeys.request(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Map<String, Double> out = new HashMap<>();
    for (String line : text.split("\n")) {
      int space = line.lastIndexOf(' ');
      if (!line.startsWith("#") && space > 0 && !line.contains("{")) {
        try {
          out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        } catch (NumberFormatException ignored) {
          // not a sample
        }
      }
    }
    return out;
  }

  private PulseNode startNode(BenchInfra infra, Path models, int maxBatch) throws Exception {
    return BenchNodes.start(
        infra,
        ConfigFactory.parseString(
            String.join(
                "\n",
                "pulse.ingest.kafka.enabled = off",
                "pulse.learning.enabled = off",
                // Same conditions as the runs before experiments existed: no feedback topic, so no
                // outbox publishing the impressions (bench ingest measures that road).
                "pulse.experiments.analyst.enabled = off",
                "pulse.model.dir = \"" + models.toAbsolutePath() + "\"",
                "pulse.inference.max-batch-size = " + maxBatch,
                "pulse.recommend.record-impressions = " + (impressions ? "on" : "off"))));
  }

  private static void awaitModel(String base) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      String body =
          client
              .send(
                  BenchKeys.request(URI.create(base + "/v1/model")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      if (!JsonSupport.MAPPER.readTree(body).path("version").isNull()
          && !JsonSupport.MAPPER.readTree(body).path("version").isMissingNode()) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the node loaded no model");
  }

  private Path train() throws Exception {
    // One folder per training shape, so that a full run never reuses a small run's model (the
    // defaults keep the
    // folder name earlier runs used).
    boolean defaults = trainUsers == DEFAULT_TRAIN_USERS && epochs == DEFAULT_EPOCHS;
    Path dir =
        BenchInfra.benchDir()
            .resolve("serve-" + items + (defaults ? "" : "-u" + trainUsers + "-e" + epochs));
    Path data = dir.resolve("train.txt");
    Path models = dir.resolve("models");
    if (Files.isDirectory(models) && !new ModelRepository(models).candidates().isEmpty()) {
      out.println(
          "reusing the model trained by an earlier run in "
              + models
              + " (delete the folder to retrain)");
      return models;
    }
    out.printf(
        Locale.ROOT,
        "generating training data (%,d items, %,d users) and training a model (at most %d epochs, "
            + "3 min) ...%n",
        items,
        trainUsers,
        epochs);
    DemoTrainingData.write(data, trainUsers, trainUsers * TRAIN_EVENTS_PER_USER, items);
    int code =
        ModelCli.run(
            new String[] {
              "train",
              "--data",
              data.toString(),
              "--format",
              "sasrec",
              "--out",
              models.resolve("v1").toString(),
              "--epochs",
              Integer.toString(epochs),
              "--max-minutes",
              "3",
              "--eval-every",
              "5",
              "--patience",
              "3",
              "--val-users",
              Integer.toString(Math.min(1000, Math.max(1, trainUsers / 5)))
            },
            out,
            System.err);
    if (code != 0) {
      throw new IllegalStateException("training failed (exit " + code + ")");
    }
    return models;
  }

  private static String row(Measured m) {
    return LoadDriver.row(m.result(), m.meanBatch(), m.cores())
        + String.format(Locale.ROOT, " %8.2f %8.2f", m.modelMsPerCall(), m.queueMs());
  }

  private void print(Map<String, Measured> results, double openRate) throws Exception {
    out.println();
    out.println(
        LoadDriver.header() + String.format(Locale.ROOT, " %8s %8s", "model ms", "queue ms"));
    for (Measured m : results.values()) {
      out.println(row(m));
    }
    Measured bc = results.get("batched (max batch 128) closed");
    Measured uc = results.get("unbatched (max batch 1) closed");
    Measured bo = results.get("batched (max batch 128) open");
    Measured uo = results.get("unbatched (max batch 1) open");
    double speedup = bc.result().modelThroughput() / uc.result().modelThroughput();
    out.printf(
        Locale.ROOT,
        "%nbatched / unbatched model-served throughput: %.2fx (p99 %.1f ms vs %.1f ms at %d "
            + "clients); at %.0f/s offered (half the batched maximum): p99 %.1f ms batched, %.1f ms unbatched%n",
        speedup,
        bc.result().p(0.99),
        uc.result().p(0.99),
        clients,
        openRate,
        bo.result().p(0.99),
        uo.result().p(0.99));
    List<LatencyHistogramHtml.Series> series = new ArrayList<>();
    results
        .values()
        .forEach(
            m ->
                series.add(
                    new LatencyHistogramHtml.Series(m.result().label(), m.result().latencies())));
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(
        report,
        LatencyHistogramHtml.render("Pulse recommendation latency, batched vs unbatched", series));
    out.println("latency histograms: " + report);
    // null for what a small run may not have measured (no answers, no batches).
    out.printf(
        Locale.ROOT,
        "{\"bench\":\"serve\",\"clients\":%d,\"batchedPerSec\":%.1f,\"unbatchedPerSec\":%.1f,"
            + "\"speedup\":%s,\"batchedP99Ms\":%s,\"unbatchedP99Ms\":%s,\"openRate\":%.1f,"
            + "\"openBatchedP99Ms\":%s,\"openUnbatchedP99Ms\":%s,\"batchedMeanBatch\":%s}%n",
        clients,
        bc.result().modelThroughput(),
        uc.result().modelThroughput(),
        BenchJson.num(speedup, 2),
        BenchJson.num(bc.result().p(0.99), 2),
        BenchJson.num(uc.result().p(0.99), 2),
        openRate,
        BenchJson.num(bo.result().p(0.99), 2),
        BenchJson.num(uo.result().p(0.99), 2),
        BenchJson.num(bc.meanBatch(), 2));
  }
}
