package pulse.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import pulse.engine.event.UserEvent;
import pulse.http.PulseNode;
import pulse.infra.TopicSpec;

/**
 * {@code bin/pulse bench ingest --data ../shared/datasets/ml-100k}: MovieLens 100K replayed through
 * Kafka and through HTTP into a node running in this JVM, with the local Cassandra and Kafka beside
 * it.
 *
 * <p>Per path: events persisted per second, time from send to persisted (Kafka: until the consumer
 * group's committed offset passes the record, which the node commits only after persisting; HTTP:
 * until the 202, which comes only after persisting), heap per resident user, and GET features
 * latency for resident users. The ratings' real timestamps are shifted as a block so the last one
 * is now (validation refuses events from before 2000); order and gaps are the real ones. A warm-up
 * pass runs first, unmeasured.
 *
 * <p>As in production (unless {@code --learning off}): the node publishes every persisted event to
 * a feedback topic of its own (a running demo's learner would otherwise learn the replay) and its
 * online learner, started from a MovieLens model that the first run trains (about 2 minutes, then
 * kept under var/bench/ingest-model), learns from them while the events pour in. The bench then
 * reads that topic and reports how many of the measured events were published ({@code
 * feedbackPublished}, which must equal the events persisted). GET features is read at a steady rate
 * during both passes ({@code featuresP99Ms}), and again after them on a quiet node. Heap per
 * resident user is the live-heap growth over the users the node's shards hold more (both read after
 * full collections, {@link HeapMeter}). {@code --profile} records the measured passes with JFR and
 * writes a flame graph and a CPU breakdown ({@link JfrProfile}).
 */
public final class IngestBench {
  static final String USAGE =
      "usage: bin/pulse bench ingest --data DIR [--events N (default all)] [--warmup 20000] "
          + "[--feature-requests 5000] [--feature-rate 200] [--http-clients 8] [--http-batch 500] "
          + "[--partitions 32] [--learning on|off] [--profile] "
          + BenchInfra.USAGE;

  /** Where the JVM's CPU goes while ingesting: the order decides a sample seen in two. */
  static final List<JfrProfile.Category> CATEGORIES =
      List.of(
          new JfrProfile.Category(
              "bench load generator (not the node)",
              List.of("pulse.bench.", "jdk.internal.net.http."),
              List.of("main", "HttpClient", "bench-", "kafka-producer-network-thread | bench")),
          JfrProfile.Category.ofClasses(
              "ingest JSON parse + validation",
              "pulse.engine.ingest.EventParser",
              "pulse.engine.ingest.JsonInput"),
          JfrProfile.Category.ofClasses(
              "trending (fallback popularity)", "pulse.engine.recommend."),
          JfrProfile.Category.ofClasses(
              "online learner", "pulse.engine.learning.", "pulse.model.", "org.tensorflow."),
          JfrProfile.Category.ofClasses(
              "feedback outbox: read back by tag", "akka.persistence.cassandra.query."),
          JfrProfile.Category.ofClasses(
              "feedback outbox: publish", "pulse.engine.feedback.", "akka.projection."),
          JfrProfile.Category.ofClasses(
              "journal: tag writes", "akka.persistence.cassandra.journal.TagWriter"),
          JfrProfile.Category.ofClasses("journal + snapshot writes", "akka.persistence.cassandra."),
          JfrProfile.Category.ofClasses("user actor (features)", "pulse.engine.user."),
          JfrProfile.Category.ofClasses(
              "kafka ingest consumer", "akka.kafka.", "pulse.engine.ingest.KafkaIngest"),
          JfrProfile.Category.ofClasses("kafka clients (node)", "org.apache.kafka."),
          JfrProfile.Category.ofClasses("http server + routes", "akka.http.", "pulse.http."),
          JfrProfile.Category.ofClasses("cassandra driver", "com.datastax.", "io.netty."),
          JfrProfile.Category.ofClasses(
              "serialization", "akka.serialization.", "com.fasterxml.jackson."),
          JfrProfile.Category.ofClasses("akka (actors, streams, sharding, persistence)", "akka."));

  private final Path dataDir;
  private final int events;
  private final int httpClients;
  private final int httpBatch;
  private final int warmupEvents;
  private final int featureRequests;
  private final int partitions;
  private final int featureRate;
  private final boolean learning;
  private final boolean profile;
  private final BenchInfra.Servers servers;
  private final String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

  private IngestBench(
      Path dataDir,
      int events,
      int httpClients,
      int httpBatch,
      int warmupEvents,
      int featureRequests,
      int partitions,
      int featureRate,
      boolean learning,
      boolean profile,
      BenchInfra.Servers servers) {
    this.partitions = partitions;
    this.featureRate = featureRate;
    this.learning = learning;
    this.profile = profile;
    this.dataDir = dataDir;
    this.events = events;
    this.httpClients = httpClients;
    this.httpBatch = httpBatch;
    this.warmupEvents = warmupEvents;
    this.featureRequests = featureRequests;
    this.servers = servers;
  }

  /** One path's figures; {@code latencies} feeds the histogram. */
  record PathResult(
      String path,
      int events,
      double eventsPerSecond,
      double p50Ms,
      double p99Ms,
      double maxMs,
      Latencies latencies) {
    /** The figures only: the latencies are written out by then and must not count as live heap. */
    PathResult withoutLatencies() {
      return new PathResult(path, events, eventsPerSecond, p50Ms, p99Ms, maxMs, null);
    }
  }

  /** Everything a run reports. */
  record Figures(
      PathResult kafka,
      PathResult http,
      double heapPerUserKb,
      int newResidentUsers,
      double eventsPerUser,
      double[] featuresWhileIngesting,
      double[] featuresQuiet,
      CpuClock cpu,
      FeedbackCount.Count published,
      String learningJson,
      JfrProfile.Result profile) {}

  public static void main(String[] args) throws Exception {
    Path data = MovieLens100k.DEFAULT_FOLDER;
    int clients = 8;
    int batch = 500;
    int warmup = 20_000;
    int partitions = 32; // as pulse.kafka.topics declares user-events
    int events = Integer.MAX_VALUE;
    int featureRequests = 5_000;
    int featureRate = 200;
    boolean learning = true;
    boolean profile = false;
    String cassandra = null;
    String kafka = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = Path.of(args[++i]);
        case "--events" -> events = Integer.parseInt(args[++i]);
        case "--http-clients" -> clients = Integer.parseInt(args[++i]);
        case "--http-batch" -> batch = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--feature-requests" -> featureRequests = Integer.parseInt(args[++i]);
        case "--partitions" -> partitions = Integer.parseInt(args[++i]);
        case "--feature-rate" -> featureRate = Integer.parseInt(args[++i]);
        case "--learning" -> learning = onOff(args[++i]);
        case "--profile" -> profile = true;
        case "--cassandra" -> cassandra = args[++i];
        case "--kafka" -> kafka = args[++i];
        default -> {
          System.err.println("bench ingest: unknown argument " + args[i] + " (" + USAGE + ")");
          System.exit(2);
        }
      }
    }
    if (!Files.isRegularFile(data.resolve("u.data"))) {
      System.err.println(
          "bench ingest: no MovieLens 100K at "
              + data.toAbsolutePath()
              + " (expected u.data, u.item)");
      System.exit(2);
    }
    if (events < 1
        || warmup < 0
        || featureRequests < 1
        || clients < 1
        || batch < 1
        || featureRate < 1
        || partitions < 1) {
      System.err.println(
          "bench ingest: --events, --feature-requests, --feature-rate, --http-clients, --http-batch and "
              + "--partitions "
              + "must be at least 1, --warmup at least 0");
      System.exit(2);
    }
    BenchInfra.Servers servers = null;
    try {
      servers = BenchInfra.Servers.parse(cassandra, kafka);
    } catch (IllegalArgumentException e) {
      System.err.println("bench ingest: " + e.getMessage());
      System.exit(2);
    }
    new IngestBench(
            data,
            events,
            clients,
            batch,
            warmup,
            featureRequests,
            partitions,
            featureRate,
            learning,
            profile,
            servers)
        .run();
    System.exit(0);
  }

  private static boolean onOff(String value) {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      default -> {
        System.err.println("bench ingest: --learning takes on or off, not " + value);
        System.exit(2);
        yield false;
      }
    };
  }

  private void run() throws Exception {
    try (BenchInfra infra = BenchInfra.open(servers, l -> System.out.println("infra: " + l))) {
      run(infra);
    }
  }

  private void run(BenchInfra infra) throws Exception {
    String topic = "user-events-bench-" + run;
    String feedback = "pulse-feedback-bench-" + run;
    String group = "pulse-bench-" + run;
    String bootstrap = infra.bootstrapServers();
    // As many feedback partitions as conf/ gives the real one: publishing costs what it costs a
    // node.
    int feedbackPartitions =
        infra.configuredTopics().stream()
            .filter(t -> t.name().equals("pulse-feedback"))
            .mapToInt(TopicSpec::partitions)
            .findFirst()
            .orElse(1);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, (Object) bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, partitions, (short) 1),
                  new NewTopic(feedback, feedbackPartitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    MovieLens100k.Data ml = MovieLens100k.load(dataDir).first(events);
    Path models =
        learning
            ? BenchNodes.aloneInFolder(trainOrReuse(ml))
            : Files.createDirectories(BenchInfra.benchDir().resolve("ingest-no-model"));
    Config overrides =
        ConfigFactory.parseString(
            String.join(
                "\n",
                "pulse.ingest.kafka.topic = \"" + topic + "\"",
                "pulse.ingest.kafka.group-id = \"" + group + "\"",
                // The node shards users by the ingest topic's partitions, and the learner's
                // settings need the feedback
                // topic's: every topic the node uses is declared.
                "pulse.kafka.topics = [{ name = \""
                    + topic
                    + "\", partitions = "
                    + partitions
                    + ", replication-factor = 1 }"
                    + ", { name = \""
                    + feedback
                    + "\", partitions = "
                    + feedbackPartitions
                    + ", replication-factor = 1 }"
                    + ", { name = \"user-events-dlq\", partitions = 1, replication-factor = 1 }]",
                "pulse.learning.topic = \"" + feedback + "\"",
                "pulse.learning.enabled = " + (learning ? "on" : "off"),
                // As in production, the experiment analyst reads the feedback topic too.
                "pulse.experiments.analyst.enabled = " + (learning ? "on" : "off"),
                "pulse.learning.model-name = \"bench-ingest-" + run + "\"",
                // The model's maxLen, as bench online: examples carry up to this much history.
                "pulse.learning.examples.max-history = 200",
                "pulse.model.dir = \"" + models.toAbsolutePath() + "\""));
    try {
      PulseNode node = BenchNodes.start(infra, overrides);
      try {
        measure(infra, node, ml, bootstrap, topic, group, feedback);
      } finally {
        node.awaitStopped(Duration.ofSeconds(60));
      }
    } finally {
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, (Object) bootstrap))) {
        admin.deleteTopics(List.of(topic, feedback)).all().get(30, TimeUnit.SECONDS);
        admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // leftovers of a bench run are harmless
      }
    }
  }

  /**
   * The learner's base model: SASRec's MovieLens shape as {@code bench online} trains it, on every
   * rating replayed, at most 2 minutes; reused by later runs of the same size (the replayed users
   * are new to it either way).
   */
  private static Path trainOrReuse(MovieLens100k.Data ml) throws Exception {
    Path dir = BenchInfra.benchDir().resolve("ingest-model");
    // One model per replay size: a short smoke run's model must not stand in for the full one.
    Path model = dir.resolve("ml-100k-" + ml.ratings().size());
    if (Files.isRegularFile(model.resolve("manifest.json"))) {
      System.out.println("learner's base model: " + model + " (trained by an earlier run)");
      return model;
    }
    Path data = dir.resolve("train.data");
    OnlineBench.writeMovieLens(data, ml.ratings());
    System.out.println("training the learner's base model (at most 2 minutes, once): " + model);
    int code =
        pulse.model.cli.ModelCli.run(
            OnlineBench.trainArgs(data, model, 40, 2.0, "sampled-softmax"), System.out, System.err);
    if (code != 0) {
      throw new IllegalStateException(
          "training the learner's base model failed (exit " + code + ")");
    }
    return model;
  }

  private void measure(
      BenchInfra infra,
      PulseNode node,
      MovieLens100k.Data ml,
      String bootstrap,
      String topic,
      String group,
      String feedback)
      throws Exception {
    List<UserEvent> ratings = ml.shiftedToEndAt(Instant.now().minusSeconds(1));
    System.out.printf(
        Locale.ROOT,
        "MovieLens 100K: %,d ratings, %,d users, %,d items (genres as categories)%n",
        ratings.size(),
        ml.userCount(),
        ml.items().size());
    BenchNodes.postAll(
        "http://127.0.0.1:" + node.httpPort(), "/v1/items", WireJson.itemBatches(ml.items(), 1000));

    System.out.printf(
        Locale.ROOT,
        "warm-up: %,d events through each path (not measured)%n",
        Math.min(warmupEvents, ratings.size()));
    List<UserEvent> warm = ratings.subList(0, Math.min(warmupEvents, ratings.size()));
    if (!warm.isEmpty()) {
      viaKafka(bootstrap, topic, group, BenchNodes.relabel(warm, "w" + run + "k"), "warm-up kafka");
      viaHttp(node.httpPort(), BenchNodes.relabel(warm, "w" + run + "h"), "warm-up http");
    }

    if (learning) {
      System.out.println("learner: " + BenchNodes.awaitLearner(node.httpPort()));
    }
    List<String> warmUsers =
        warm.stream().map(e -> "w" + run + "k-" + e.userId()).distinct().toList();
    FeatureReads reads =
        new FeatureReads(node.httpPort(), warmUsers, featureRate, Duration.ofMinutes(20));
    long heapBefore = HeapMeter.liveBytes();
    int residentBefore = BenchNodes.residentUsers(node);
    CpuClock cpu0 = CpuClock.now(infra.processes());
    JfrProfile recording = profile ? JfrProfile.start() : null;
    reads.start();
    PathResult kafka =
        viaKafka(bootstrap, topic, group, BenchNodes.relabel(ratings, "k" + run), "kafka");
    PathResult http = viaHttp(node.httpPort(), BenchNodes.relabel(ratings, "h" + run), "http");
    double[] featuresWhileIngesting = reads.stop();
    CpuClock cpu = CpuClock.now(infra.processes()).since(cpu0);
    JfrProfile.Result profiled =
        recording == null
            ? null
            : recording.stop(
                BenchInfra.benchDir(),
                "ingest-" + run,
                "Pulse bench ingest: Kafka then HTTP, " + 2 * ratings.size() + " events",
                CATEGORIES);
    writeHistogram(kafka, http);
    kafka = kafka.withoutLatencies();
    http = http.withoutLatencies();

    String k = "k" + run + "-";
    String h = "h" + run + "-";
    FeedbackCount.Count published =
        learning
            ? FeedbackCount.await(
                bootstrap,
                feedback,
                u -> u.startsWith(k) || u.startsWith(h),
                2L * ratings.size(),
                Duration.ofSeconds(60),
                new Progress("feedback topic", 2 * ratings.size(), "published"))
            : new FeedbackCount.Count(0, 0, 0);
    long heapAfter = HeapMeter.liveBytes();
    int residentAfter = BenchNodes.residentUsers(node);
    double heapPerUserKb =
        HeapMeter.kibPerObject(heapBefore, heapAfter, residentAfter - residentBefore);
    List<String> residentUsers = ratings.stream().map(e -> k + e.userId()).distinct().toList();
    double[] featuresQuiet = featureLatencies(node.httpPort(), residentUsers, featureRequests);

    report(
        new Figures(
            kafka,
            http,
            heapPerUserKb,
            residentAfter - residentBefore,
            (double) ratings.size() / ml.userCount(),
            featuresWhileIngesting,
            featuresQuiet,
            cpu,
            published,
            learning ? BenchNodes.learnerFigures(node) : "null",
            profiled));
  }

  /** Gives each replay its own users and event ids, so no pass is a duplicate of another. */
  private PathResult viaKafka(
      String bootstrap, String topic, String group, List<UserEvent> events, String label)
      throws Exception {
    int n = events.size();
    long[] sentAt = new long[n];
    long[] persistedAt = new long[n];
    int[] partitionOf = new int[n];
    long[] offsetOf = new long[n];
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-load"); // its thread is named after it (profile)
    AtomicLong acked = new AtomicLong();
    Progress progress = new Progress(label, n, "persisted");
    long t0 = System.nanoTime();
    try (KafkaProducer<String, String> producer =
            new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        Admin admin =
            Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, (Object) bootstrap))) {
      for (int i = 0; i < n; i++) {
        UserEvent e = events.get(i);
        int idx = i;
        sentAt[i] = System.nanoTime();
        producer.send(
            new ProducerRecord<>(topic, e.userId(), WireJson.event(e)),
            (meta, err) -> {
              if (err == null) {
                partitionOf[idx] = meta.partition();
                offsetOf[idx] = meta.offset();
                acked.incrementAndGet();
              }
            });
      }
      producer.flush();
      if (acked.get() != n) {
        throw new IllegalStateException(
            "the broker acknowledged " + acked.get() + " of " + n + " records");
      }
      // Persisted = the group's committed offset has passed the record (committed only after
      // persisting). The
      // records are grouped per partition in offset order once, so each poll only advances a cursor
      // per partition:
      // this loop shares the JVM with the node it measures and must not compete with it.
      int[][] byPartition = recordsByPartition(partitionOf, offsetOf, partitions);
      int[] cursor = new int[partitions];
      int done = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (done < n && System.nanoTime() < deadline) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin
                .listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        long now = System.nanoTime();
        for (int part = 0; part < partitions; part++) {
          OffsetAndMetadata c = committed.get(new TopicPartition(topic, part));
          int[] records = byPartition[part];
          while (c != null
              && cursor[part] < records.length
              && c.offset() > offsetOf[records[cursor[part]]]) {
            persistedAt[records[cursor[part]++]] = now;
            done++;
          }
        }
        progress.update(done);
        Thread.sleep(20);
      }
      if (done < n) {
        throw new IllegalStateException(
            "only " + done + " of " + n + " events persisted within 10 minutes");
      }
    }
    long last = 0;
    double[] latencies = new double[n];
    for (int i = 0; i < n; i++) {
      latencies[i] = (persistedAt[i] - sentAt[i]) / 1e6;
      last = Math.max(last, persistedAt[i]);
    }
    progress.finish();
    return result("kafka", n, (last - t0) / 1e9, latencies);
  }

  /** Record indices per partition, in offset order. */
  static int[][] recordsByPartition(int[] partitionOf, long[] offsetOf, int partitions) {
    List<List<Integer>> lists = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      lists.add(new ArrayList<>());
    }
    for (int i = 0; i < partitionOf.length; i++) {
      lists.get(partitionOf[i]).add(i);
    }
    int[][] out = new int[partitions][];
    for (int p = 0; p < partitions; p++) {
      out[p] =
          lists.get(p).stream()
              .sorted((a, b) -> Long.compare(offsetOf[a], offsetOf[b]))
              .mapToInt(Integer::intValue)
              .toArray();
    }
    return out;
  }

  private PathResult viaHttp(int port, List<UserEvent> events, String label) throws Exception {
    List<String> batches = WireJson.eventBatches(events, httpBatch);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Semaphore inFlight = new Semaphore(httpClients);
    double[] latencies = new double[events.size()];
    AtomicLong done = new AtomicLong();
    Progress progress = new Progress(label, events.size(), "persisted");
    List<CompletableFuture<?>> all = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int b = 0; b < batches.size(); b++) {
      inFlight.acquire();
      int first = b * httpBatch;
      int size = Math.min(httpBatch, events.size() - first);
      long sent = System.nanoTime();
      all.add(
          client
              .sendAsync(
                  post(port, "/v1/events", batches.get(b)), HttpResponse.BodyHandlers.ofString())
              .whenComplete(
                  (r, err) -> {
                    inFlight.release();
                    if (err != null || r.statusCode() != 202) {
                      throw new IllegalStateException(
                          "batch refused: "
                              + (err != null ? err : r.statusCode() + " " + r.body()));
                    }
                    double ms = (System.nanoTime() - sent) / 1e6;
                    for (int i = first; i < first + size; i++) {
                      latencies[i] = ms; // each event of the batch was persisted when the batch was
                      // acknowledged
                    }
                    progress.update((int) done.addAndGet(size));
                  }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - t0) / 1e9;
    progress.finish();
    return result("http", events.size(), seconds, latencies);
  }

  private static double[] featureLatencies(int port, List<String> users, int requests)
      throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Random random = new Random(1);
    for (int i = 0; i < Math.min(500, requests); i++) { // warm-up of the read path
      client.send(
          get(port, "/v1/users/" + users.get(random.nextInt(users.size())) + "/features"),
          HttpResponse.BodyHandlers.discarding());
    }
    double[] ms = new double[requests];
    for (int i = 0; i < requests; i++) {
      long t = System.nanoTime();
      HttpResponse<String> r =
          client.send(
              get(port, "/v1/users/" + users.get(random.nextInt(users.size())) + "/features"),
              HttpResponse.BodyHandlers.ofString());
      ms[i] = (System.nanoTime() - t) / 1e6;
      if (r.statusCode() != 200) {
        throw new IllegalStateException("features answered " + r.statusCode() + ": " + r.body());
      }
    }
    return ms;
  }

  private static PathResult result(String path, int n, double seconds, double[] latenciesMs) {
    Latencies latencies = Latencies.ofMillis(latenciesMs);
    return new PathResult(
        path,
        n,
        n / seconds,
        latencies.millis(0.50),
        latencies.millis(0.99),
        latencies.maxMillis(),
        latencies);
  }

  private void writeHistogram(PathResult kafka, PathResult http) throws Exception {
    Path html = BenchInfra.benchDir().resolve("ingest-" + run + ".html");
    Files.createDirectories(html.getParent());
    Files.writeString(
        html,
        LatencyHistogramHtml.render(
            "Pulse ingest: time from send to persisted",
            List.of(
                new LatencyHistogramHtml.Series("kafka", kafka.latencies()),
                new LatencyHistogramHtml.Series("http", http.latencies()))));
    System.out.println("latency summary written to " + html.toAbsolutePath());
  }

  private void report(Figures f) {
    Latencies during = Latencies.ofMillis(f.featuresWhileIngesting());
    Latencies quiet = Latencies.ofMillis(f.featuresQuiet());
    int events = f.kafka().events() + f.http().events();
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%-6s %10s %14s %12s %12s %12s%n",
        "path",
        "events",
        "events/s",
        "p50 ms",
        "p99 ms",
        "max ms");
    for (PathResult r : List.of(f.kafka(), f.http())) {
      System.out.printf(
          Locale.ROOT,
          "%-6s %,10d %,14.0f %12.1f %12.1f %12.1f%n",
          r.path(),
          r.events(),
          r.eventsPerSecond(),
          r.p50Ms(),
          r.p99Ms(),
          r.maxMs());
    }
    System.out.printf(
        Locale.ROOT,
        "kafka / http throughput: %.2fx%n",
        f.kafka().eventsPerSecond() / f.http().eventsPerSecond());
    System.out.printf(
        Locale.ROOT,
        "GET features while ingesting (%,d reads at %d/s): p50 %.2f ms, p99 %.2f ms; "
            + "after, quiet (%,d sequential): p50 %.2f ms, p99 %.2f ms%n",
        f.featuresWhileIngesting().length,
        featureRate,
        during.millis(0.50),
        during.millis(0.99),
        f.featuresQuiet().length,
        quiet.millis(0.50),
        quiet.millis(0.99));
    System.out.printf(
        Locale.ROOT,
        "heap per resident user: %.1f KiB (%,d more users resident, ~%.0f events each; live heap"
            + " after full GCs)%n",
        f.heapPerUserKb(),
        f.newResidentUsers(),
        f.eventsPerUser());
    CpuClock c = f.cpu();
    System.out.printf(
        Locale.ROOT,
        "CPU over both passes (%.1f s): this JVM (node + load generator) %.1f s = %.0f us/event"
            + " (GC %.1f s wall), Cassandra + Kafka %.1f s = %.0f us/event%n",
        c.wallSeconds(),
        c.jvmSeconds(),
        1e6 * c.jvmSeconds() / events,
        c.gcSeconds(),
        c.infraSeconds(),
        1e6 * c.infraSeconds() / events);
    System.out.printf(
        Locale.ROOT,
        "feedback topic: %,d of %,d measured events published (%,d repeats), learner %s%n",
        f.published().distinct(),
        events,
        f.published().repeats(),
        f.learningJson());
    if (f.profile() != null) {
      System.out.print(JfrProfile.table(f.profile(), 1e6 * c.jvmSeconds() / events, "event"));
    }
    System.out.printf(
        Locale.ROOT,
        "cores: %d, heap max: %d MiB (warm: after a %,d-event warm-up per path)%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        warmupEvents);
    System.out.printf(
        Locale.ROOT,
        "{\"bench\":\"ingest\",\"kafka\":{\"events\":%d,\"eventsPerSecond\":%.0f,\"p50Ms\":%.1f,\"p99Ms\":%.1f},"
            + "\"http\":{\"events\":%d,\"eventsPerSecond\":%.0f,\"p50Ms\":%.1f,\"p99Ms\":%.1f},"
            + "\"heapPerUserKiB\":%.1f,\"featuresP50Ms\":%.2f,\"featuresP99Ms\":%.2f,"
            + "\"featuresQuietP99Ms\":%.2f,\"feedbackPublished\":%d,\"eventsPersisted\":%d,"
            + "\"feedbackRepeats\":%d,\"learning\":%b,\"learner\":%s,\"cpu\":{\"jvmUsPerEvent\":%.1f,"
            + "\"infraUsPerEvent\":%s,\"gcSeconds\":%.2f}%s}%n",
        f.kafka().events(),
        f.kafka().eventsPerSecond(),
        f.kafka().p50Ms(),
        f.kafka().p99Ms(),
        f.http().events(),
        f.http().eventsPerSecond(),
        f.http().p50Ms(),
        f.http().p99Ms(),
        f.heapPerUserKb(),
        during.millis(0.50),
        during.millis(0.99),
        quiet.millis(0.99),
        f.published().distinct(),
        events,
        f.published().repeats(),
        learning,
        f.learningJson(),
        1e6 * c.jvmSeconds() / events,
        BenchJson.num(1e6 * c.infraSeconds() / events, 1),
        c.gcSeconds(),
        f.profile() == null
            ? ""
            : ",\"profile\":{\"flameGraph\":\""
                + f.profile().flameGraph().toAbsolutePath()
                + "\",\"shares\":"
                + JfrProfile.sharesJson(f.profile())
                + "}");
  }

  private static HttpRequest post(int port, String path, String body) {
    return BenchKeys.request(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static HttpRequest get(int port, String path) {
    return BenchKeys.request(URI.create("http://127.0.0.1:" + port + path)).build();
  }

  /** One progress line every 2 s: done, rate, ETA. */
  static final class Progress {
    private final String label;
    private final int total;
    private final String verb;
    private final long start = System.nanoTime();
    private long lastPrint = System.nanoTime();

    Progress(String label, int total, String verb) {
      this.label = label;
      this.total = total;
      this.verb = verb;
    }

    synchronized void update(int done) {
      long now = System.nanoTime();
      if (now - lastPrint < 2_000_000_000L) {
        return;
      }
      lastPrint = now;
      double secs = (now - start) / 1e9;
      double rate = done / Math.max(secs, 1e-9);
      System.out.printf(
          Locale.ROOT,
          "  %s: %,d/%,d %s, %,.0f events/s, ETA %.0f s%n",
          label,
          done,
          total,
          verb,
          rate,
          rate > 0 ? (total - done) / rate : Double.NaN);
    }

    void finish() {
      System.out.printf(
          Locale.ROOT,
          "  %s: %,d %s in %.1f s%n",
          label,
          total,
          verb,
          (System.nanoTime() - start) / 1e9);
    }
  }
}
