package pulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import pulse.engine.event.UserEvent;
import pulse.engine.learning.LearnerSettings;
import pulse.http.JsonSupport;
import pulse.http.PulseNode;
import pulse.model.cli.ModelCli;

/**
 * {@code bin/pulse bench online --data ../shared/datasets/ml-100k}: does learning while serving
 * pay? MovieLens 100K split on its timeline: the first 80% of the ratings train a model offline,
 * the last 20% are replayed through Kafka into a node twice, once with online learning on and once
 * frozen ({@code pulse.learning.mode = frozen}: the learner scores every example with the offline
 * model and learns nothing), side by side.
 *
 * <p>Both passes measure the same thing: the learner ranks each example's true next item against
 * the whole catalog (the user's history excluded) <em>before</em> it learns from it (prequential,
 * test-then-train), so the figures are out-of-sample for both. Per pass: a fresh node in this JVM
 * with its own user-events topic, consumer group, users and event ids, its own feedback topic (one
 * partition, so the learner reads the examples in the same order in both passes, however far it
 * falls behind), and its own model name in Cassandra (so each pass starts from the offline model's
 * checkpoint with a version chain of its own).
 *
 * <p>Printed: HR@10 / NDCG@10 per tenth of the replay and over all of it for both passes, the
 * update latency (event accepted to every node serving a version that learned from it) of the
 * learning pass, the CPU the bench JVM (node + learner) and the Cassandra/Kafka processes used per
 * pass, a final JSON line; a PNG of the rolling window over the replay goes to {@code
 * var/bench/online-<run>.png}.
 *
 * <p>Before the two passes, a warm-up pass ({@code --warm-up}, 3,000 events; 0 skips it) replays
 * the newest training ratings into a throwaway node with learning on, as JMH warms a benchmark up:
 * the first seconds of a cold JVM (JIT compilation of the ingest path, Akka, the Kafka and
 * Cassandra clients, beside Cassandra's own) are not what either pass measures. Its update latency
 * is printed on its own line, as the figure for a node that has just started.
 *
 * <p>The learner knows each user's history from the replay only (its example state starts empty;
 * 192 of the replay's 301 users are new anyway), so a user's first replayed rating makes no
 * example.
 */
public final class OnlineBench {
  /**
   * The offline model's folder per loss: BCE kept its first name, so a model trained before --loss
   * is reused.
   */
  private static final Map<String, String> MODEL_NAMES =
      Map.of("sampled-softmax", "ml100k-first80-ssm", "bce", "ml100k-first80");

  private static final double TRAIN_SHARE = 0.8;

  private final Path dataDir;
  private final int events;
  private final int rate;
  private final int epochs;
  private final double maxMinutes;
  private final int partitions;
  private final boolean retrain;
  private final Double learningRate;
  private final String parameters;
  private final String loss;
  private final int warmUp;
  private final BenchInfra.Servers servers;
  private final PrintStream out = System.out;
  private final String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private OnlineBench(
      Path dataDir,
      int events,
      int rate,
      int epochs,
      double maxMinutes,
      int partitions,
      boolean retrain,
      Double learningRate,
      String parameters,
      String loss,
      int warmUp,
      BenchInfra.Servers servers) {
    this.servers = servers;
    this.events = events;
    this.loss = loss;
    this.warmUp = warmUp;
    this.learningRate = learningRate;
    this.parameters = parameters;
    this.dataDir = dataDir;
    this.rate = rate;
    this.epochs = epochs;
    this.maxMinutes = maxMinutes;
    this.partitions = partitions;
    this.retrain = retrain;
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Path data = MovieLens100k.DEFAULT_FOLDER;
    int events = Integer.MAX_VALUE;
    int rate = 250;
    int epochs = 200;
    double maxMinutes = 4;
    int partitions = 8;
    boolean retrain = false;
    Double learningRate = null;
    String parameters = null;
    String loss = "sampled-softmax";
    int warmUp = 3000;
    String cassandra = null;
    String kafka = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = Path.of(args[++i]);
        case "--events" -> events = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        case "--max-minutes" -> maxMinutes = Double.parseDouble(args[++i]);
        case "--partitions" -> partitions = Integer.parseInt(args[++i]);
        case "--retrain" -> retrain = true;
        case "--learning-rate" -> learningRate = Double.parseDouble(args[++i]);
        case "--parameters" -> parameters = args[++i];
        case "--loss" -> loss = args[++i];
        case "--warm-up" -> warmUp = Integer.parseInt(args[++i]);
        case "--cassandra" -> cassandra = args[++i];
        case "--kafka" -> kafka = args[++i];
        default -> {
          System.err.println(
              "bench online: unknown argument "
                  + args[i]
                  + " (usage: --data DIR [--events N] [--rate 250] "
                  + "[--epochs 200] [--max-minutes 4] [--partitions 8] [--retrain] [--learning-rate X] "
                  + "[--parameters item-rows|everything] [--loss sampled-softmax|bce] [--warm-up 3000] "
                  + BenchInfra.USAGE
                  + ")");
          System.exit(2);
        }
      }
    }
    if (!Files.isRegularFile(data.resolve("u.data"))) {
      System.err.println(
          "bench online: no MovieLens 100K at "
              + data.toAbsolutePath()
              + " (expected u.data, u.item)");
      System.exit(2);
    }
    if (warmUp < 0) {
      System.err.println("bench online: --warm-up must be 0 or more events");
      System.exit(2);
    }
    if (events < 10) {
      System.err.println(
          "bench online: --events must be at least 10 ratings (80% train, 20% are replayed)");
      System.exit(2);
    }
    if (epochs < 1 || !(maxMinutes > 0)) {
      System.err.println("bench online: --epochs must be at least 1, --max-minutes above 0");
      System.exit(2);
    }
    if (rate < 1) {
      System.err.println("bench online: --rate must be at least 1 event/s");
      System.exit(2);
    }
    if (!MODEL_NAMES.containsKey(loss)) {
      System.err.println("bench online: --loss must be sampled-softmax or bce, was " + loss);
      System.exit(2);
    }
    BenchInfra.Servers servers = null;
    try {
      servers = BenchInfra.Servers.parse(cassandra, kafka);
    } catch (IllegalArgumentException e) {
      System.err.println("bench online: " + e.getMessage());
      System.exit(2);
    }
    new OnlineBench(
            data,
            events,
            rate,
            epochs,
            maxMinutes,
            partitions,
            retrain,
            learningRate,
            parameters,
            loss,
            warmUp,
            servers)
        .run();
    System.exit(0);
  }

  /**
   * One look at the learner through GET /v1/model, {@code seconds} after the pass's replay began.
   */
  record Sample(
      double seconds,
      int sent,
      long examples,
      long seq,
      long scored,
      double cumHr10,
      double cumNdcg10,
      long windowExamples,
      double windowHr10,
      double windowNdcg10,
      String pausedBecause) {}

  /** What one pass measured. */
  record Pass(
      String mode,
      List<Sample> samples,
      List<Long> updateLatencyMillis,
      double replaySeconds,
      double wallSeconds,
      double benchCpuSeconds,
      double infraCpuSeconds,
      String modelName) {
    Sample last() {
      return samples.get(samples.size() - 1);
    }

    double benchCores() {
      return benchCpuSeconds / wallSeconds;
    }

    double infraCores() {
      return infraCpuSeconds / wallSeconds;
    }
  }

  private void run() throws Exception {
    Path dir = BenchInfra.benchDir().resolve("online");
    MovieLens100k.Data all = MovieLens100k.load(dataDir);
    MovieLens100k.Data ml = all.first(events);
    int split = trainSize(ml);
    out.printf(
        Locale.ROOT,
        "MovieLens 100K: %,d ratings, %,d users, %,d items; offline training on the first %,d "
            + "(%s .. %s), replay of the last %,d at %,d events/s%n",
        ml.ratings().size(),
        ml.userCount(),
        ml.items().size(),
        split,
        Instant.ofEpochMilli(ml.ratings().get(0).timestamp()),
        Instant.ofEpochMilli(ml.ratings().get(split - 1).timestamp()),
        ml.ratings().size() - split,
        rate);
    // A smaller run's model has a name of its own: a full run never reuses it.
    String name =
        MODEL_NAMES.get(loss)
            + (ml.ratings().size() < all.ratings().size()
                ? "-" + ml.ratings().size() + "ratings"
                : "");
    Path models = BenchNodes.aloneInFolder(trainOrReuse(dir, name, ml.ratings().subList(0, split)));

    List<Pass> passes = new ArrayList<>();
    Pass warm = null;
    try (BenchInfra infra = BenchInfra.open(servers, l -> out.println("infra: " + l))) {
      if (warmUp > 0) {
        // The newest training ratings (the model knows them): a cold JVM's first seconds (JIT
        // compilation of
        // ingest, Akka, Kafka and Cassandra clients, beside Cassandra's own) are not what either
        // pass measures.
        warm = pass(infra, models, ml, Math.max(0, split - warmUp), split, "on", "warm");
      }
      for (String mode : List.of("on", "frozen")) {
        passes.add(
            pass(
                infra,
                models,
                ml,
                split,
                ml.ratings().size(),
                mode,
                mode.equals("on") ? "on" : "off"));
      }
    }
    report(passes, ml.ratings().size() - split, warm);
  }

  /** How many of the ratings, oldest first, train the offline model; the rest are replayed. */
  static int trainSize(MovieLens100k.Data ml) {
    return (int) Math.round(ml.ratings().size() * TRAIN_SHARE);
  }

  /** The offline model of the first 80%: reused when an earlier run left one (unless --retrain). */
  private Path trainOrReuse(Path dir, String name, List<UserEvent> train) throws Exception {
    Path model = dir.resolve("models").resolve(name);
    if (!retrain && Files.isRegularFile(model.resolve("manifest.json"))) {
      out.println(
          "reusing the offline model trained by an earlier run: "
              + model
              + " (--retrain or delete it to train again)");
      return model;
    }
    Path data = dir.resolve("train.data");
    writeMovieLens(data, train);
    if (Files.exists(model)) {
      deleteTree(model);
    }
    out.printf(
        Locale.ROOT,
        "training the offline model on %s (%,d ratings; at most %d epochs / %.1f min) ...%n",
        data,
        train.size(),
        epochs,
        maxMinutes);
    long t0 = System.nanoTime();
    int code =
        ModelCli.run(
            trainArgs(data, model, epochs, maxMinutes, loss),
            new PrintStream(new EpochFilter(out), true, StandardCharsets.UTF_8),
            System.err);
    if (code != 0) {
      throw new IllegalStateException("training failed (exit " + code + ")");
    }
    out.printf(Locale.ROOT, "trained in %.0f s: %s%n", (System.nanoTime() - t0) / 1e9, model);
    return model;
  }

  /**
   * SASRec's MovieLens shape (maxLen 200, dropout 0.2; d 50, 2 blocks, 1 head) with sampled softmax
   * over 100 uniform negatives: on this split its full-catalog test NDCG@10 is 0.119 against 0.095
   * for SASRec's BCE with one negative (both 4 minutes), and the online steps then rank against 100
   * negatives too, which makes each step dearer ({@code --loss bce} trains SASRec's original
   * setup). maxLen 50 / dropout 0.5 stayed at most-popular's level. No time-gap input: the learner
   * feeds item ids only.
   */
  static String[] trainArgs(Path data, Path model, int epochs, double maxMinutes, String loss) {
    return new String[] {
      "train",
      "--data",
      data.toString(),
      "--format",
      "movielens",
      "--out",
      model.toString(),
      "--epochs",
      Integer.toString(epochs),
      "--max-minutes",
      Double.toString(maxMinutes),
      "--eval-every",
      "10",
      "--patience",
      "3",
      "--val-users",
      "500",
      "--max-len",
      "200",
      "--dropout",
      "0.2",
      "--loss",
      loss,
      "--negatives",
      loss.equals("bce") ? "1" : "100"
    };
  }

  /**
   * u.data's format (user, item, rating, epoch seconds; tab-separated), which ModelCli reads as
   * "movielens".
   */
  static void writeMovieLens(Path file, List<UserEvent> ratings) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    StringBuilder sb = new StringBuilder(ratings.size() * 24);
    for (UserEvent r : ratings) {
      sb.append(r.userId())
          .append('\t')
          .append(r.itemId())
          .append('\t')
          .append(r.value() == null ? 0 : (int) Math.round(r.value()))
          .append('\t')
          .append(r.timestamp() / 1000)
          .append('\n');
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  /**
   * Replays ratings [from, to) of the timeline into a fresh node; {@code label} names its topics
   * and users.
   */
  private Pass pass(
      BenchInfra infra,
      Path models,
      MovieLens100k.Data ml,
      int from,
      int to,
      String mode,
      String label)
      throws Exception {
    String tag = run + "-" + label;
    String topic = "user-events-online-" + tag;
    String group = "pulse-online-" + tag;
    String feedback = "pulse-feedback-online-" + tag;
    String modelName = "bench-" + tag;
    String bootstrap = infra.bootstrapServers();
    try (Admin admin = admin(bootstrap)) {
      // One feedback partition: the learner then reads the examples in the order the node persisted
      // them, in
      // both passes alike, however far it falls behind (with several it would read them in
      // per-partition chunks).
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, partitions, (short) 1), new NewTopic(feedback, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    out.printf(
        Locale.ROOT,
        "%n== pass: %slearning %s (model name %s, topic %s) ==%n",
        label.equals("warm") ? "warm-up, not measured: " : "",
        mode,
        modelName,
        topic);
    PulseNode node =
        BenchNodes.start(
            infra,
            overrides(
                models,
                topic,
                group,
                partitions,
                feedback,
                modelName,
                mode,
                learningRate,
                parameters));
    try {
      String base = "http://127.0.0.1:" + node.httpPort();
      BenchNodes.postAll(base, "/v1/items", WireJson.itemBatches(ml.items(), 1000));
      JsonNode learner = BenchNodes.awaitLearner(node.httpPort());
      var ls = LearnerSettings.fromConfig(node.system().settings().config());
      out.printf(
          Locale.ROOT,
          "learner ready: mode %s, version %s (node serves %s); %s lr %s, %s, mini-batches of "
              + "at most %d / %d ms, window %d%n",
          learner.path("mode").asText(),
          learner.path("version").asText(),
          get(base, "/v1/model").path("version").asText(),
          ls.optimizer().name().toLowerCase(Locale.ROOT),
          ls.learningRate(),
          ls.everything() ? "every weight" : "item rows only",
          ls.batchSize(),
          ls.batchWindow().toMillis(),
          ls.window());

      List<UserEvent> all = ml.shiftedToEndAt(Instant.now());
      List<UserEvent> replay =
          BenchNodes.relabel(all.subList(from, to), "o" + tag.replace("-", ""));
      return replay(base, bootstrap, topic, group, replay, mode, modelName, infra.processes());
    } finally {
      node.awaitStopped(Duration.ofSeconds(60));
      try (Admin admin = admin(bootstrap)) {
        admin.deleteTopics(List.of(topic, feedback)).all().get(30, TimeUnit.SECONDS);
        admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // leftovers of a bench run are harmless
      }
    }
  }

  static Config overrides(
      Path models,
      String topic,
      String group,
      int partitions,
      String feedback,
      String modelName,
      String mode,
      Double learningRate,
      String parameters) {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "pulse.ingest.kafka.topic = \"" + topic + "\"",
                "pulse.ingest.kafka.group-id = \"" + group + "\"",
                // The node shards users by this topic's partitions; the learner needs the feedback
                // topic's.
                "pulse.kafka.topics = [{ name = \""
                    + topic
                    + "\", partitions = "
                    + partitions
                    + ", replication-factor = 1 }"
                    + ", { name = \""
                    + feedback
                    + "\", partitions = 1, replication-factor = 1 }"
                    + ", { name = \"user-events-dlq\", partitions = 1, replication-factor = 1 }]",
                "pulse.learning.topic = \"" + feedback + "\"",
                "pulse.learning.enabled = on",
                "pulse.learning.mode = \"" + mode + "\"",
                "pulse.learning.model-name = \"" + modelName + "\"",
                // The model's maxLen: examples carry up to this much history (the default 50 would
                // cut it to a quarter).
                "pulse.learning.examples.max-history = 200",
                "pulse.model.dir = \"" + models.toAbsolutePath() + "\"",
                "pulse.recommend.record-impressions = off"));
    if (learningRate != null) {
      lines.add("pulse.learning.learning-rate = " + learningRate);
    }
    if (parameters != null) {
      lines.add("pulse.learning.parameters = \"" + parameters + "\"");
    }
    return ConfigFactory.parseString(String.join("\n", lines));
  }

  private Pass replay(
      String base,
      String bootstrap,
      String topic,
      String group,
      List<UserEvent> events,
      String mode,
      String modelName,
      List<ProcessHandle> infraProcesses)
      throws Exception {
    CpuClock cpu0 = CpuClock.now(infraProcesses);
    long t0 = System.nanoTime();
    AtomicInteger sent = new AtomicInteger();
    List<Sample> samples = new CopyOnWriteArrayList<>();
    ScheduledExecutorService sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "online-bench-sampler");
              t.setDaemon(true);
              return t;
            });
    sampler.scheduleAtFixedRate(
        () -> {
          try {
            samples.add(sample(base, (System.nanoTime() - t0) / 1e9, sent.get()));
          } catch (Exception e) {
            out.println("  (sample failed: " + e + ")");
          }
        },
        0,
        1,
        TimeUnit.SECONDS);
    double replaySeconds;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      long interval = 1_000_000_000L / rate;
      long lastPrint = t0;
      for (int i = 0; i < events.size(); i++) {
        long due = t0 + i * interval;
        for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
          LockSupport.parkNanos(due - now);
        }
        UserEvent e = events.get(i);
        producer.send(
            new ProducerRecord<>(topic, e.userId(), WireJson.event(e)),
            (meta, err) -> {
              if (err != null) {
                throw new IllegalStateException("the broker refused a record: " + err);
              }
            });
        sent.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastPrint > 5_000_000_000L) {
          lastPrint = now;
          progress(mode, i + 1, events.size(), (now - t0) / 1e9, samples);
        }
      }
      producer.flush();
      replaySeconds = (System.nanoTime() - t0) / 1e9;
    }
    progress(mode, events.size(), events.size(), replaySeconds, samples);
    out.println(
        "  replay sent; waiting until every event is persisted and the learner has seen it ...");
    awaitDrained(bootstrap, topic, group, samples, t0);
    samples.add(sample(base, (System.nanoTime() - t0) / 1e9, sent.get()));
    sampler.shutdownNow();
    sampler.awaitTermination(10, TimeUnit.SECONDS);
    double wall = (System.nanoTime() - t0) / 1e9;
    CpuClock used = CpuClock.now(infraProcesses).since(cpu0);
    double cpu = used.jvmSeconds();
    double infraCpu = used.infraSeconds();
    JsonNode learner = get(base, "/v1/model").path("learner");
    List<Long> latencies = new ArrayList<>();
    learner.path("updateLatencyMillis").forEach(n -> latencies.add(n.asLong()));
    List<Sample> sorted = new ArrayList<>(samples);
    sorted.sort((a, b) -> Double.compare(a.seconds(), b.seconds()));
    Pass pass =
        new Pass(
            mode, List.copyOf(sorted), latencies, replaySeconds, wall, cpu, infraCpu, modelName);
    Sample last = pass.last();
    out.printf(
        Locale.ROOT,
        "  %s: %,d examples, %,d scored, HR@10 %.4f, NDCG@10 %.4f over the replay; %d versions; "
            + "%.1f s (replay %.1f s); CPU: bench JVM %.2f cores, Cassandra+Kafka %s%s%n",
        mode,
        last.examples(),
        last.scored(),
        last.cumHr10(),
        last.cumNdcg10(),
        last.seq() - 1,
        wall,
        replaySeconds,
        pass.benchCores(),
        cores(pass.infraCores()),
        last.pausedBecause() == null ? "" : "; learner paused: " + last.pausedBecause());
    return pass;
  }

  private void progress(String mode, int sent, int total, double seconds, List<Sample> samples) {
    Sample s = samples.isEmpty() ? null : samples.get(samples.size() - 1);
    double r = sent / Math.max(seconds, 1e-9);
    out.printf(
        Locale.ROOT,
        "  %s: sent %,d/%,d, %,.0f events/s, ETA %.0f s; learner: %,d examples, window NDCG@10 "
            + "%.4f HR@10 %.4f, version %d%n",
        mode,
        sent,
        total,
        r,
        (total - sent) / Math.max(r, 1e-9),
        s == null ? 0 : s.examples(),
        s == null ? 0 : s.windowNdcg10(),
        s == null ? 0 : s.windowHr10(),
        s == null ? 0 : s.seq());
  }

  /**
   * Until the ingest group has committed every record and the learner's example count stood still
   * for 3 s.
   */
  private void awaitDrained(
      String bootstrap, String topic, String group, List<Sample> samples, long t0)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    long stableSince = -1;
    long lastExamples = -1;
    try (Admin admin = admin(bootstrap)) {
      while (System.nanoTime() < deadline) {
        long lag = lag(admin, topic, group);
        long examples = samples.isEmpty() ? -1 : samples.get(samples.size() - 1).examples();
        long now = System.nanoTime();
        // The learner's first mini-batch can take seconds (its users' histories are asked of
        // their actors, then a training step): until it has scored anything, a quiet spell is no
        // sign of the end, for up to a minute.
        boolean nothingScoredYet = examples <= 0 && now - t0 < 60_000_000_000L;
        if (lag > 0 || examples != lastExamples || nothingScoredYet) {
          stableSince = now;
          lastExamples = examples;
        } else if (now - stableSince > 5_000_000_000L) {
          out.printf(Locale.ROOT, "  drained %.1f s after the replay began%n", (now - t0) / 1e9);
          return;
        }
        Thread.sleep(500);
      }
    }
    out.println("  (not drained within 5 minutes; reporting what was measured)");
  }

  /** Records of the topic not yet committed by the group (= not yet persisted by the node). */
  private long lag(Admin admin, String topic, String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    long lag = 0;
    for (var e : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      lag += e.getValue().offset() - (c == null ? 0 : c.offset());
    }
    return lag;
  }

  private Sample sample(String base, double seconds, int sent) throws Exception {
    JsonNode l = get(base, "/v1/model").path("learner");
    JsonNode cum = l.path("cumulative");
    JsonNode win = l.path("window");
    return new Sample(
        seconds,
        sent,
        l.path("examples").asLong(),
        l.path("seq").asLong(),
        cum.path("examples").asLong(),
        cum.path("hr10").asDouble(),
        cum.path("ndcg10").asDouble(),
        win.path("examples").asLong(),
        win.path("hr10").asDouble(),
        win.path("ndcg10").asDouble(),
        l.path("pausedBecause").isTextual() ? l.path("pausedBecause").asText() : null);
  }

  /**
   * Prequential HR@10 and NDCG@10 of each of {@code parts} equal slices of the scored examples,
   * from the cumulative figures: the mean over a slice is the difference of the running sums at its
   * two ends, divided by the examples between them. A slice ends at the first sample at or past its
   * share (samples come every second, so boundaries are as fine as one second of replay). Returns
   * rows of {examples at the slice's end, HR@10, NDCG@10}; a slice with no examples in it repeats
   * NaN.
   */
  static double[][] slices(List<Sample> samples, int parts) {
    double[][] rows = new double[parts][];
    long total = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).scored();
    long prevN = 0;
    double prevHits = 0;
    double prevDcg = 0;
    int at = 0;
    for (int k = 1; k <= parts; k++) {
      long target = (long) Math.ceil(total * (double) k / parts);
      while (at < samples.size() - 1 && samples.get(at).scored() < target) {
        at++;
      }
      Sample s = samples.isEmpty() ? null : samples.get(at);
      long n = s == null ? 0 : s.scored();
      double hits = s == null ? 0 : s.cumHr10() * n;
      double dcg = s == null ? 0 : s.cumNdcg10() * n;
      long dn = n - prevN;
      rows[k - 1] =
          new double[] {
            n,
            dn > 0 ? (hits - prevHits) / dn : Double.NaN,
            dn > 0 ? (dcg - prevDcg) / dn : Double.NaN
          };
      prevN = n;
      prevHits = hits;
      prevDcg = dcg;
    }
    return rows;
  }

  /**
   * " p50/max" of each tenth of the versions in publication order: where in the replay the slow
   * versions were.
   */
  static String latencyTenths(List<Long> inOrder) {
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < 10; k++) {
      List<Long> part = inOrder.subList(inOrder.size() * k / 10, inOrder.size() * (k + 1) / 10);
      if (part.isEmpty()) {
        continue;
      }
      Latencies l = Latencies.ofMillis(part);
      b.append(String.format(Locale.ROOT, " %.0f/%.0f", l.millis(0.50), l.maxMillis()));
    }
    return b.toString();
  }

  private void report(List<Pass> passes, int replayed, Pass warm) throws Exception {
    Pass on = passes.get(0);
    Pass off = passes.get(1);
    int parts = 10;
    double[][] a = slices(on.samples(), parts);
    double[][] b = slices(off.samples(), parts);
    out.println();
    out.println(
        "Prequential HR@10 / NDCG@10 per tenth of the replay (each example ranked against the whole catalog "
            + "before it is learned from):");
    out.printf(
        Locale.ROOT,
        "%-9s %12s %9s %9s %12s %9s %9s %10s%n",
        "replay",
        "on: scored",
        "HR@10",
        "NDCG@10",
        "off: scored",
        "HR@10",
        "NDCG@10",
        "on vs off");
    for (int k = 0; k < parts; k++) {
      out.printf(
          Locale.ROOT,
          "%-9s %,12.0f %9.4f %9.4f %,12.0f %9.4f %9.4f %+9.1f%%%n",
          (k * 10) + "-" + ((k + 1) * 10) + "%",
          a[k][0],
          a[k][1],
          a[k][2],
          b[k][0],
          b[k][1],
          b[k][2],
          100 * (a[k][2] / b[k][2] - 1));
    }
    Sample lo = on.last();
    Sample lf = off.last();
    out.printf(
        Locale.ROOT,
        "%-9s %,12d %9.4f %9.4f %,12d %9.4f %9.4f %+9.1f%%%n",
        "all",
        lo.scored(),
        lo.cumHr10(),
        lo.cumNdcg10(),
        lf.scored(),
        lf.cumHr10(),
        lf.cumNdcg10(),
        100 * (lo.cumNdcg10() / lf.cumNdcg10() - 1));
    Latencies lat = Latencies.ofMillis(on.updateLatencyMillis());
    double p50 = lat.millis(0.50);
    double p90 = lat.millis(0.90);
    double p99 = lat.millis(0.99);
    double max = lat.maxMillis();
    // The later half of the versions: past the slow first versions (see the per-tenth line), when
    // the learner keeps up.
    List<Long> inOrder = on.updateLatencyMillis();
    Latencies late = Latencies.ofMillis(inOrder.subList(inOrder.size() / 2, inOrder.size()));
    double lateP50 = late.millis(0.50);
    double lateP99 = late.millis(0.99);
    out.printf(
        Locale.ROOT,
        "%nlearning on: %d versions from %,d examples (%,d events replayed); update latency "
            + "(event accepted -> every node serves a version that learned it) p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, "
            + "max %.0f ms over %d versions; later half of the versions: p50 %.0f ms, p99 %.0f ms%n",
        lo.seq() - 1,
        lo.examples(),
        replayed,
        p50,
        p90,
        p99,
        max,
        lat.count(),
        lateP50,
        lateP99);
    out.println(
        "update latency per tenth of the versions, in order (p50 / max, ms):"
            + latencyTenths(inOrder));
    if (warm != null && !warm.updateLatencyMillis().isEmpty()) {
      Latencies cold = Latencies.ofMillis(warm.updateLatencyMillis());
      out.printf(
          Locale.ROOT,
          "a cold JVM (the warm-up pass, %,d events before the two above): update latency p50 %.0f "
              + "ms, p99 %.0f ms, max %.0f ms over %d versions; per tenth (p50 / max, ms):%s%n",
          warmUp,
          cold.millis(0.50),
          cold.millis(0.99),
          cold.maxMillis(),
          cold.count(),
          latencyTenths(warm.updateLatencyMillis()));
    }
    out.printf(
        Locale.ROOT,
        "CPU over each pass (replay + drain; node, ingest and learner share the bench JVM): "
            + "on %.2f cores (%.0f s CPU in %.0f s), frozen %.2f cores (%.0f s in %.0f s): learning costs %+.2f "
            + "cores; Cassandra+Kafka on %s, frozen %s%n",
        on.benchCores(),
        on.benchCpuSeconds(),
        on.wallSeconds(),
        off.benchCores(),
        off.benchCpuSeconds(),
        off.wallSeconds(),
        on.benchCores() - off.benchCores(),
        cores(on.infraCores()),
        cores(off.infraCores()));
    for (Pass p : passes) {
      if (p.last().pausedBecause() != null) {
        out.println(
            "NOTE: the " + p.mode() + " pass's learner paused: " + p.last().pausedBecause());
      }
    }
    Path png = BenchInfra.benchDir().resolve("online-" + run + ".png");
    OnlinePlot.write(
        png,
        "Pulse online learning: MovieLens 100K, last 20% replayed (prequential, rolling window)",
        List.of(
            OnlinePlot.series("learning on", on.samples()),
            OnlinePlot.series("frozen", off.samples())));
    out.println("plot: " + png);
    // null for what a small run may not have measured (no versions, servers run elsewhere, a frozen
    // NDCG of 0).
    out.printf(
        Locale.ROOT,
        "{\"bench\":\"online\",\"replayed\":%d,\"rate\":%d,\"on\":{\"scored\":%d,\"hr10\":%s,"
            + "\"ndcg10\":%s,\"versions\":%d,\"updateLatencyP50Ms\":%s,\"updateLatencyP99Ms\":%s,"
            + "\"laterHalfUpdateLatencyP50Ms\":%s,\"laterHalfUpdateLatencyP99Ms\":%s,\"cores\":%s,"
            + "\"infraCores\":%s},\"frozen\":{\"scored\":%d,\"hr10\":%s,\"ndcg10\":%s,\"cores\":%s,"
            + "\"infraCores\":%s},\"ndcg10Gain\":%s,\"hr10Gain\":%s,\"plot\":\"%s\"}%n",
        replayed,
        rate,
        lo.scored(),
        BenchJson.num(lo.cumHr10(), 4),
        BenchJson.num(lo.cumNdcg10(), 4),
        lo.seq() - 1,
        BenchJson.num(p50, 0),
        BenchJson.num(p99, 0),
        BenchJson.num(lateP50, 0),
        BenchJson.num(lateP99, 0),
        BenchJson.num(on.benchCores(), 2),
        BenchJson.num(on.infraCores(), 2),
        lf.scored(),
        BenchJson.num(lf.cumHr10(), 4),
        BenchJson.num(lf.cumNdcg10(), 4),
        BenchJson.num(off.benchCores(), 2),
        BenchJson.num(off.infraCores(), 2),
        BenchJson.num(lo.cumNdcg10() / lf.cumNdcg10() - 1, 4),
        BenchJson.num(lo.cumHr10() / lf.cumHr10() - 1, 4),
        png);
  }

  private static String cores(double cores) {
    return Double.isNaN(cores)
        ? "not measured (servers run elsewhere)"
        : String.format(Locale.ROOT, "%.2f cores", cores);
  }

  private JsonNode get(String base, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            BenchKeys.request(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return JsonSupport.MAPPER.readTree(r.body());
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, (Object) bootstrap));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(paths.toList());
      Collections.reverse(all);
      for (Path p : all) {
        Files.delete(p);
      }
    }
  }

  /** Passes the trainer's validation lines and summary through, not one line per epoch. */
  static final class EpochFilter extends OutputStream {
    private final PrintStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    EpochFilter(PrintStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      if (b == '\n') {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (!s.startsWith("epoch") || s.contains("val HR")) {
          target.println("  " + s);
        }
      } else {
        line.write(b);
      }
    }
  }
}
