package pulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import pulse.infra.InfraSettings;
import pulse.infra.LocalInfra;
import pulse.infra.PulseConfig;

/**
 * {@code bin/pulse bench chaos}: faults under load against the 3-node cluster behind HAProxy. Each
 * scenario has its own users, a quiet period of load, the fault, recovery, and a quiet period
 * again; afterwards every user's features are compared with what was acknowledged, and the feedback
 * topic with the acknowledged eventIds. Uses a running cluster and leaves it running; otherwise
 * starts one ({@code bin/pulse cluster start}) and stops what it started.
 */
public final class ChaosBench {
  static final List<String> SCENARIOS =
      List.of("node-kill", "rolling-restart", "cassandra-stop", "kafka-stop", "learner-kill");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  record Options(
      List<String> scenarios,
      int nodes,
      int users,
      double eventsPerSecond,
      double readsPerSecond,
      Duration quiet,
      Duration outage,
      String lb,
      String feedbackTopic) {}

  /** What one scenario measured (figures from the features and the topic are added later). */
  static final class Scenario {
    final String name;
    final ChaosLoad load;
    long startMs;
    long faultMs;
    long recoveredMs;
    long endMs;
    double secondsToSameVersion = Double.NaN;
    String targetVersion;
    ChaosFigures.Counts counts;
    long feedbackLost;
    long feedbackDuplicated;

    Scenario(String name, ChaosLoad load) {
      this.name = name;
      this.load = load;
    }
  }

  private final Options options;
  private final Path home = PulseConfig.home();
  private final InfraSettings infraSettings = PulseConfig.infraSettings(home);
  private final Path log;
  private final long t0 = System.currentTimeMillis();
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String authorization;

  private ChaosBench(Options options, Path log) {
    this.options = options;
    this.log = log;
    // The admin key bin/pulse exported for the cluster it started (var/api-keys.env), or the
    // caller's PULSE_API_KEY_ADMIN.
    this.authorization = "Bearer " + BenchKeys.ADMIN;
  }

  public static void main(String[] args) throws Exception {
    Options options = parse(args);
    Path dir = PulseConfig.infraSettings(PulseConfig.home()).varDir().resolve("bench");
    Files.createDirectories(dir);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    ChaosBench bench = new ChaosBench(options, dir.resolve("chaos-" + stamp + ".log"));
    int rc;
    try {
      rc = bench.run(dir.resolve("chaos-" + stamp + ".html"));
    } catch (Exception e) {
      System.err.println("bench chaos: " + e.getMessage());
      rc = 1;
    }
    System.exit(rc);
  }

  static Options parse(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("bench chaos: unexpected '" + args[i] + "'");
      }
      a.put(args[i].substring(2), args[++i]);
    }
    List<String> scenarios =
        a.containsKey("scenarios") ? List.of(a.get("scenarios").split(",")) : SCENARIOS;
    for (String s : scenarios) {
      if (!SCENARIOS.contains(s)) {
        throw new IllegalArgumentException(
            "bench chaos: unknown scenario '" + s + "' " + SCENARIOS);
      }
    }
    return new Options(
        scenarios,
        Integer.parseInt(a.getOrDefault("nodes", "3")),
        Integer.parseInt(a.getOrDefault("users", "40")),
        Double.parseDouble(a.getOrDefault("events-per-second", "10")),
        Double.parseDouble(a.getOrDefault("reads-per-second", "10")),
        Duration.ofSeconds(Long.parseLong(a.getOrDefault("quiet-seconds", "20"))),
        Duration.ofSeconds(Long.parseLong(a.getOrDefault("outage-seconds", "20"))),
        a.getOrDefault("lb", "http://127.0.0.1:8080"),
        a.getOrDefault("feedback-topic", "pulse-feedback"));
  }

  private int run(Path html) throws Exception {
    boolean infraWasUp = new LocalInfra(infraSettings, true, s -> {}).cassandra().isPresent();
    boolean started = !answers(options.lb() + "/ready");
    List<Scenario> done = new ArrayList<>();
    try {
      if (started) {
        say(
            "no cluster answers on "
                + options.lb()
                + ": bin/pulse cluster start (log: "
                + log
                + ")");
        pulse("cluster", "start", "--nodes", Integer.toString(options.nodes()));
      }
      awaitAllReady(Duration.ofMinutes(3), false);
      for (int i = 0; i < options.scenarios().size(); i++) {
        String name = options.scenarios().get(i);
        long left =
            (System.currentTimeMillis() - t0) / Math.max(1, i) * (options.scenarios().size() - i);
        say(
            String.format(
                Locale.ROOT,
                "scenario %d/%d %s (%.0f s so far%s)",
                i + 1,
                options.scenarios().size(),
                name,
                (System.currentTimeMillis() - t0) / 1000.0,
                i == 0 ? "" : String.format(Locale.ROOT, ", ETA %.0f s", left / 1000.0)));
        done.add(scenario(name));
      }
      check(done);
      report(done, html);
      return 0;
    } finally {
      if (started) {
        say("stopping what the bench started");
        pulse("cluster", "stop");
        if (!infraWasUp) {
          pulse("infra", "stop");
        }
      }
    }
  }

  private Scenario scenario(String name) throws Exception {
    List<String> users = new ArrayList<>();
    for (int u = 0; u < options.users(); u++) {
      users.add("chaos-" + run + "-" + name + "-" + u);
    }
    Scenario s = new Scenario(name, new ChaosLoad(options.lb(), authorization, t0, users));
    // Once a second: what every node serves (null where one does not answer).
    ConcurrentLinkedQueue<VersionSample> served = new ConcurrentLinkedQueue<>();
    ScheduledExecutorService versions = Executors.newSingleThreadScheduledExecutor();
    versions.scheduleWithFixedDelay(
        () -> served.add(new VersionSample(now(), servedVersions())), 0, 1, TimeUnit.SECONDS);
    s.startMs = now();
    s.load.start(options.eventsPerSecond(), options.readsPerSecond());
    try {
      Thread.sleep(options.quiet().toMillis());
      s.faultMs = now();
      fault(name);
      s.recoveredMs = now();
      // The learner's newest version when the cluster was whole again: every node must serve it
      // (or a later update of it) to count as serving the same model.
      s.targetVersion = learnerVersion();
      say(
          String.format(
              Locale.ROOT,
              "  %s: recovered %.1f s after the fault",
              name,
              (s.recoveredMs - s.faultMs) / 1000.0));
      Thread.sleep(options.quiet().toMillis());
    } finally {
      // Also when the fault or the recovery failed: the load's threads must not outlive the bench.
      s.load.close();
      versions.shutdownNow();
    }
    s.endMs = now();
    s.secondsToSameVersion =
        served.stream()
            .filter(v -> v.atMs() >= s.recoveredMs)
            .filter(v -> ChaosFigures.caughtUp(v.versions(), s.targetVersion))
            .mapToDouble(v -> (v.atMs() - s.faultMs) / 1000.0)
            .min()
            .orElse(Double.NaN);
    return s;
  }

  private void fault(String name) throws Exception {
    LocalInfra infra = new LocalInfra(infraSettings, true, this::logLine);
    switch (name) {
      case "node-kill" -> {
        pulse("cluster", "kill", "2");
        pulse("cluster", "restart", "2");
      }
      case "rolling-restart" -> {
        for (int k = 1; k <= options.nodes(); k++) {
          pulse("cluster", "restart", Integer.toString(k)); // SIGTERM (drain), start, wait ready
        }
      }
      case "cassandra-stop" -> {
        infra.stopCassandra();
        Thread.sleep(options.outage().toMillis());
        infra.startCassandra();
        awaitAllReady(Duration.ofMinutes(4), false);
      }
      case "kafka-stop" -> {
        infra.stopKafka();
        Thread.sleep(options.outage().toMillis());
        infra.startKafka();
        awaitAllReady(Duration.ofMinutes(4), true);
      }
      case "learner-kill" -> {
        int k = learnerNode();
        say("  the learner singleton runs on node " + k);
        pulse("cluster", "kill", Integer.toString(k));
        pulse("cluster", "restart", Integer.toString(k));
      }
      default -> throw new IllegalArgumentException(name);
    }
  }

  /** The node the singletons run on: the cluster's oldest member, as the management API says. */
  private int learnerNode() throws Exception {
    for (int k = 1; k <= options.nodes(); k++) {
      try {
        JsonNode m = getJson("http://127.0.0.1:" + (8557 + k) + "/cluster/members");
        String oldest = m.path("oldest").asText();
        int port = Integer.parseInt(oldest.substring(oldest.lastIndexOf(':') + 1));
        return port - 2550;
      } catch (Exception e) {
        logLine("management of node " + k + ": " + e);
      }
    }
    throw new IllegalStateException("no management endpoint named the oldest member");
  }

  /** Every node answers GET /v1/model with the same, non-null version. */
  /** One poll of the nodes' served versions. */
  private record VersionSample(long atMs, List<String> versions) {}

  /** The version each node serves now; empty when one does not answer or serves none. */
  private List<String> servedVersions() {
    List<String> out = new ArrayList<>();
    for (int k = 1; k <= options.nodes(); k++) {
      try {
        String v =
            getJson("http://127.0.0.1:" + (8080 + k) + "/v1/model").path("version").asText(null);
        if (v == null) {
          return List.of();
        }
        out.add(v);
      } catch (Exception e) {
        return List.of();
      }
    }
    return out;
  }

  /** The learner's newest version, as any node that answers reports it; null without one. */
  private String learnerVersion() {
    for (int k = 1; k <= options.nodes(); k++) {
      try {
        JsonNode model = getJson("http://127.0.0.1:" + (8080 + k) + "/v1/model");
        String v = model.path("learner").path("version").asText(null);
        return v != null ? v : model.path("version").asText(null);
      } catch (Exception e) {
        // the next node
      }
    }
    return null;
  }

  private void awaitAllReady(Duration within, boolean kafkaToo) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (int k = 1; k <= options.nodes() && all; k++) {
        try {
          HttpResponse<String> r = get("http://127.0.0.1:" + (8080 + k) + "/ready");
          all =
              r.statusCode() == 200
                  && (!kafkaToo || !JSON.readTree(r.body()).path("degraded").asBoolean());
        } catch (Exception e) {
          all = false;
        }
      }
      if (all) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("not every node ready within " + within.toSeconds() + " s");
  }

  /** Features against acknowledged events, and the feedback topic against acknowledged ids. */
  private void check(List<Scenario> done) throws Exception {
    say("checking every user's features against what was acknowledged");
    for (Scenario s : done) {
      long lost = 0;
      long twice = 0;
      for (var e : s.load.logs().entrySet()) {
        long counted = clicks(e.getKey());
        ChaosFigures.Counts c =
            ChaosFigures.compare(e.getValue().acked.size(), e.getValue().unacked, counted);
        lost += c.ackedLost();
        twice += c.countedTwice();
      }
      s.counts = new ChaosFigures.Counts(lost, twice);
    }
    say("reading the feedback topic for every acknowledged eventId");
    Map<String, Integer> published = readFeedback(done);
    for (Scenario s : done) {
      long lost = 0;
      long dup = 0;
      for (var e : s.load.logs().entrySet()) {
        lost += ChaosFigures.feedbackLost(e.getValue().acked, published.keySet());
        for (String id : e.getValue().acked) {
          dup += Math.max(0, published.getOrDefault(id, 0) - 1);
        }
      }
      s.feedbackLost = lost;
      s.feedbackDuplicated = dup;
    }
  }

  private long clicks(String user) throws Exception {
    for (int attempt = 0; ; attempt++) {
      try {
        HttpResponse<String> r = get(options.lb() + "/v1/users/" + user + "/features");
        if (r.statusCode() == 200) {
          return JSON.readTree(r.body()).path("features").path("totals").path("click").asLong();
        }
        if (r.statusCode() == 404) {
          return 0;
        }
      } catch (IOException e) {
        if (attempt >= 20) {
          throw e;
        }
      }
      if (attempt >= 20) {
        throw new IllegalStateException("features of " + user + " unreadable");
      }
      Thread.sleep(1000);
    }
  }

  /** eventId to how often it is on the topic, for the bench's users; read until all are there. */
  private Map<String, Integer> readFeedback(List<Scenario> done) {
    Set<String> wanted = new HashSet<>();
    done.forEach(s -> s.load.logs().values().forEach(l -> wanted.addAll(l.acked)));
    Map<String, Integer> seen = new HashMap<>();
    Properties p = new Properties();
    p.put(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        infraSettings.kafka().host() + ":" + infraSettings.kafka().port());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "chaos-bench-" + run);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (var consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(options.feedbackTopic()));
      long lastProgress = System.nanoTime();
      int found = 0;
      while (found < wanted.size()
          && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(90)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.key() == null || !r.key().startsWith("chaos-" + run + "-")) {
            continue;
          }
          try {
            String id = JSON.readTree(r.value()).path("eventId").asText();
            if (seen.merge(id, 1, Integer::sum) == 1 && wanted.contains(id)) {
              found++;
              lastProgress = System.nanoTime();
            }
          } catch (IOException e) {
            logLine("unreadable feedback record: " + e);
          }
        }
      }
    }
    return seen;
  }

  private void report(List<Scenario> done, Path html) throws IOException {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%-16s %8s %8s %9s %9s %9s %9s %10s %10s %10s %9s%n",
        "scenario",
        "requests",
        "reads",
        "readFail",
        "byModel",
        "fallback",
        "ackedLost",
        "twice",
        "fbLost",
        "unwrit.s",
        "sameVer.s");
    StringBuilder json = new StringBuilder("{\"bench\":\"chaos\",\"scenarios\":[");
    for (Scenario s : done) {
      List<ChaosLoad.Attempt> attempts = new ArrayList<>(s.load.attempts);
      long maxUnwritable =
          s.load.logs().values().stream().mapToLong(l -> l.longestUnwritableMs).max().orElse(0);
      double toModel = ChaosFigures.secondsToModelServed(attempts, s.faultMs);
      System.out.printf(
          Locale.ROOT,
          "%-16s %8d %8d %9d %9d %9d %9d %10d %10d %10.1f %9s%n",
          s.name,
          attempts.size(),
          s.load.reads.get(),
          s.load.readFailures.get(),
          s.load.readsByModel.get(),
          s.load.readsByFallback.get(),
          s.counts.ackedLost(),
          s.counts.countedTwice(),
          s.feedbackLost,
          maxUnwritable / 1000.0,
          BenchJson.num(s.secondsToSameVersion, 1));
      json.append(json.charAt(json.length() - 1) == '[' ? "" : ",")
          .append("{\"name\":\"")
          .append(s.name)
          .append('"')
          .append(",\"requests\":")
          .append(attempts.size())
          .append(",\"requestsByStatus\":")
          .append(ChaosFigures.byStatusJson(attempts))
          .append(",\"writes\":")
          .append(s.load.writes.get())
          .append(",\"reads\":")
          .append(s.load.reads.get())
          .append(",\"readFailures\":")
          .append(s.load.readFailures.get())
          .append(",\"readsByModel\":")
          .append(s.load.readsByModel.get())
          .append(",\"readsByFallback\":")
          .append(s.load.readsByFallback.get())
          .append(",\"ackedLost\":")
          .append(s.counts.ackedLost())
          .append(",\"countedTwice\":")
          .append(s.counts.countedTwice())
          .append(",\"feedbackLost\":")
          .append(s.feedbackLost)
          .append(",\"feedbackDuplicated\":")
          .append(s.feedbackDuplicated)
          .append(",\"maxUnwritableSeconds\":")
          .append(BenchJson.num(maxUnwritable / 1000.0, 1))
          .append(",\"secondsToModelServed\":")
          .append(BenchJson.num(toModel, 1))
          .append(",\"secondsToSameVersion\":")
          .append(BenchJson.num(s.secondsToSameVersion, 1))
          .append(",\"secondsToRecover\":")
          .append(BenchJson.num((s.recoveredMs - s.faultMs) / 1000.0, 1))
          .append('}');
    }
    json.append("]}");
    Files.writeString(html, ChaosTimelineHtml.page(done));
    System.out.println("timeline: " + html + "  log: " + log);
    System.out.println(json);
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode getJson(String url) throws IOException, InterruptedException {
    return JSON.readTree(get(url).body());
  }

  private boolean answers(String url) {
    try {
      return get(url).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  /** Runs {@code bin/pulse args}, its output to the bench's log; fails on a non-zero exit. */
  private void pulse(String... args) throws IOException, InterruptedException {
    logLine("$ bin/pulse " + String.join(" ", args));
    PulseCommand.run(home, log, Map.of(), args);
  }

  private long now() {
    return System.currentTimeMillis() - t0;
  }

  private void say(String line) {
    System.out.println(
        "[chaos " + String.format(Locale.ROOT, "%5.0f s", now() / 1000.0) + "] " + line);
    logLine(line);
  }

  private synchronized void logLine(String line) {
    try {
      Files.writeString(
          log,
          line + System.lineSeparator(),
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the log is a convenience; the bench goes on
    }
  }
}
