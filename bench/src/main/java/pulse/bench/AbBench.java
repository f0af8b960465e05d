package pulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import pulse.engine.event.UserEvent;
import pulse.infra.InfraSettings;
import pulse.infra.LocalInfra;
import pulse.infra.PulseConfig;
import pulse.model.cli.ModelCli;

/**
 * {@code bin/pulse bench ab}: experiments and canary rollouts on MovieLens 100K replayed in time
 * order through the cluster behind HAProxy (a replay simulation, not real users: a user's real next
 * rating counts as a click when the movie was in the list served just before it; {@link AbReplay}).
 *
 * <p>Offline, model A is trained on the oldest {@code --train-share} of the ratings and model B on
 * everything before the good canary's part of the replay (a good canary: the same recipe on more of
 * the timeline, as a nightly retraining would give); the damaged canary is A with its item
 * embeddings shuffled ({@link DamagedModel}). The bench then starts its own cluster ({@code
 * bin/pulse cluster start}) serving A with online learning on, under a model name of its own, loads
 * the catalogue and A's training ratings as the users' histories, and replays the rest in four
 * parts: model vs trending, learning on vs frozen (the version served at the start, pinned), a
 * canary of the damaged model and a canary of B, each rollout left to decide by itself. It prints a
 * table per experiment, the rollouts' timelines, a PNG of CTR@10 per variant over each part, and a
 * final JSON line; it stops the cluster it started.
 */
public final class AbBench {
  record Options(
      Path data,
      int nodes,
      double trainShare,
      int experimentRatings,
      int canaryRatings,
      int clients,
      int epochs,
      double maxMinutes,
      boolean retrain,
      long minListsPerArm,
      double margin,
      List<Integer> steps,
      int maxLooks) {}

  /** What one canary ended as. */
  record Canary(
      String name,
      String outcome,
      Integer atPercent,
      String version,
      String control,
      String reason,
      List<String> timeline,
      Boolean markedOnEveryNode) {}

  /**
   * What serving cost the nodes over one part: recommendations per encoder call, for the current
   * model and for pinned versions (a batch is cut into one slice per model, so each batches only
   * with its own requests), the pinned versions' variable bytes on every node as the part began
   * (when they are all held), and the nodes' resident memory at its end.
   */
  record ServingCost(
      String part, PoolCounters current, PoolCounters pinned, double pinnedMiB, double rssMiB) {
    double perCall() {
      return current.plus(pinned).perCall();
    }
  }

  /** Model recommendations and the encoder calls that computed them, summed over the nodes. */
  record PoolCounters(double requests, double encoderCalls) {
    double perCall() {
      return encoderCalls == 0 ? Double.NaN : requests / encoderCalls;
    }

    PoolCounters plus(PoolCounters o) {
      return new PoolCounters(requests + o.requests, encoderCalls + o.encoderCalls);
    }

    PoolCounters minus(PoolCounters o) {
      return new PoolCounters(requests - o.requests, encoderCalls - o.encoderCalls);
    }
  }

  private static final String LB = "http://127.0.0.1:8080";
  private static final Duration ATTRIBUTION_WINDOW = Duration.ofSeconds(10);
  private static final Duration LATENESS = Duration.ofSeconds(2);

  private final Options options;
  private final Path home = PulseConfig.home();
  private final InfraSettings infraSettings = PulseConfig.infraSettings(home);
  private final Path dir;
  private final Path log;
  private final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
  private final PrintStream out = System.out;
  private final AbApi api = new AbApi(LB);
  private final long t0 = System.nanoTime();
  private final List<AbPlot.Panel> panels = new ArrayList<>();
  private final List<ServingCost> costs = new ArrayList<>();

  private AbBench(Options options, Path dir, Path log) {
    this.options = options;
    this.dir = dir;
    this.log = log;
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench ab: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path dir = PulseConfig.infraSettings(PulseConfig.home()).varDir().resolve("bench");
    Files.createDirectories(dir.resolve("ab"));
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    AbBench bench = new AbBench(options, dir.resolve("ab"), dir.resolve("ab-" + stamp + ".log"));
    int rc;
    try {
      bench.run(dir.resolve("ab-" + stamp + ".png"));
      rc = 0;
    } catch (Exception e) {
      System.err.println("bench ab: " + e.getMessage() + " (log: " + bench.log + ")");
      rc = 1;
    }
    System.exit(rc);
  }

  static Options parse(String[] args) {
    Map<String, String> a = new HashMap<>();
    boolean retrain = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--retrain")) {
        retrain = true;
      } else if (args[i].startsWith("--") && i + 1 < args.length) {
        a.put(args[i].substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException(
            "unexpected '"
                + args[i]
                + "'; usage: bench ab [--data DIR] [--nodes 3] [--train-share 0.5]"
                + " [--experiment-ratings 3000] [--canary-ratings 10000] [--clients 12]"
                + " [--epochs 200] [--max-minutes 3] [--retrain] [--min-lists 300]"
                + " [--margin 0.05] [--steps 20,50,100] [--max-looks 3]");
      }
    }
    List<Integer> steps =
        Stream.of(a.getOrDefault("steps", "20,50,100").split(","))
            .map(s -> Integer.parseInt(s.strip()))
            .toList();
    Options o =
        new Options(
            Path.of(a.getOrDefault("data", MovieLens100k.DEFAULT_FOLDER.toString())),
            Integer.parseInt(a.getOrDefault("nodes", "3")),
            Double.parseDouble(a.getOrDefault("train-share", "0.5")),
            Integer.parseInt(a.getOrDefault("experiment-ratings", "3000")),
            Integer.parseInt(a.getOrDefault("canary-ratings", "10000")),
            Integer.parseInt(a.getOrDefault("clients", "12")),
            Integer.parseInt(a.getOrDefault("epochs", "200")),
            Double.parseDouble(a.getOrDefault("max-minutes", "3")),
            retrain,
            Long.parseLong(a.getOrDefault("min-lists", "300")),
            Double.parseDouble(a.getOrDefault("margin", "0.05")),
            steps,
            Integer.parseInt(a.getOrDefault("max-looks", "3")));
    if (o.trainShare() <= 0 || o.trainShare() >= 1) {
      throw new IllegalArgumentException("--train-share must lie in (0, 1)");
    }
    if (o.nodes() < 1 || o.clients() < 1 || o.experimentRatings() < 1 || o.canaryRatings() < 1) {
      throw new IllegalArgumentException(
          "--nodes, --clients, --experiment-ratings and --canary-ratings must be at least 1");
    }
    return o;
  }

  private void run(Path png) throws Exception {
    MovieLens100k.Data ml = MovieLens100k.load(options.data());
    List<UserEvent> ratings = ml.ratings();
    int split = (int) Math.round(ratings.size() * options.trainShare());
    int e = options.experimentRatings();
    int c = options.canaryRatings();
    if (split + 2 * e + 2 * c > ratings.size()) {
      throw new IllegalArgumentException(
          "the replay needs "
              + (2 * e + 2 * c)
              + " ratings after the training share, the data set has "
              + (ratings.size() - split));
    }
    say(
        String.format(
            Locale.ROOT,
            "MovieLens 100K: %,d ratings of %,d users; A trains on the first %,d, B on the first %,d"
                + " (all but the good canary's part);"
                + " replay: 2 experiments x %,d, 2 canaries x at most %,d",
            ratings.size(),
            ml.userCount(),
            split,
            split + 2 * e + c,
            e,
            c));
    Path models = dir.resolve("models");
    Path modelA = trainOrReuse(models.resolve("ml100k-first" + split), ratings.subList(0, split));
    int bSize = split + 2 * e + c;
    Path modelB = trainOrReuse(models.resolve("ml100k-first" + bSize), ratings.subList(0, bSize));
    Path serving = dir.resolve("serve-" + run);
    copyTree(modelA, serving.resolve("a"));

    boolean infraWasUp = new LocalInfra(infraSettings, true, s -> {}).cassandra().isPresent();
    if (answers(LB + "/ready")) {
      throw new IllegalStateException(
          "a cluster answers on "
              + LB
              + "; bench ab starts its own (its model, its settings): stop that one first"
              + " (bin/pulse cluster stop)");
    }
    say("starting a " + options.nodes() + "-node cluster serving A (log: " + log + ")");
    pulse(nodeOptions(serving), "cluster", "start", "--nodes", Integer.toString(options.nodes()));
    try {
      prepare(ml, ratings.subList(0, split));
      List<UserEvent> replay =
          BenchNodes.relabel(ratings.subList(split, split + 2 * e + 2 * c), "ab" + run);
      List<AbFigures.Comparison> comparisons = new ArrayList<>();
      comparisons.addAll(
          experiment(
              "model-vs-trending",
              "trending",
              "{\"name\":\"trending\",\"weight\":1,\"policy\":\"trending\"},"
                  + "{\"name\":\"model\",\"weight\":1,\"policy\":\"model\"}",
              replay.subList(0, e)));
      comparisons.addAll(
          experiment(
              "learning-vs-frozen",
              "frozen",
              "{\"name\":\"frozen\",\"weight\":1,\"policy\":\"pinned\"},"
                  + "{\"name\":\"learning\",\"weight\":1,\"policy\":\"model\"}",
              replay.subList(e, 2 * e)));
      Path damaged = serving.resolve("damaged");
      DamagedModel.shuffledItemEmbeddings(modelA, damaged, 7);
      Canary bad = canary("damaged", "damaged", replay.subList(2 * e, 2 * e + c));
      copyTree(modelB, serving.resolve("good"));
      Canary good = canary("good", "good", replay.subList(2 * e + c, 2 * e + 2 * c));
      report(comparisons, List.of(bad, good), png);
    } finally {
      stopOwnExperiments();
      say("stopping the cluster the bench started");
      pulse(Map.of(), "cluster", "stop");
      if (!infraWasUp) {
        pulse(Map.of(), "infra", "stop");
      }
    }
  }

  /**
   * The nodes' settings for the replay: the bench's model folder and model name (a lineage of its
   * own), and an attribution window that fits a replay in which a list's next rating follows within
   * milliseconds (30 min would keep every list open to the end). The sample-ratio check reports
   * without stopping: it counts lists, and here 300 users make them, the busiest 700 (the split of
   * lists then drifts from the split of users by chance alone).
   */
  private Map<String, String> nodeOptions(Path serving) {
    String opts =
        String.join(
            " ",
            "-Dpulse.model.dir=" + serving.toAbsolutePath(),
            "-Dpulse.learning.enabled=on",
            "-Dpulse.learning.model-name=ab-" + run,
            "-Dpulse.experiments.analyst.enabled=on",
            "-Dpulse.experiments.analyst.attribution-window="
                + ATTRIBUTION_WINDOW.toSeconds()
                + "s",
            "-Dpulse.experiments.analyst.lateness=" + LATENESS.toSeconds() + "s",
            "-Dpulse.experiments.analyst.checkpoint-interval=2s",
            "-Dpulse.experiments.analyst.stop-on-sample-ratio-mismatch=off",
            "-Dpulse.experiments.rollout-tick=1s");
    return Map.of("JAVA_OPTS", opts);
  }

  /**
   * Stops what an earlier run of the bench left running (one that was killed): experiments and
   * rollouts live in Cassandra, which outlives the cluster, and only one of each runs at a time;
   * stopping a rollout's experiment aborts the rollout. Best effort.
   */
  private void stopOwnExperiments() {
    try {
      for (JsonNode e : api.getJson("/v1/experiments", AbApi.Role.READ).path("experiments")) {
        String name = e.path("name").asText();
        boolean ours = name.startsWith("ab-") || name.startsWith("rollout-");
        if (ours && "running".equals(e.path("status").asText())) {
          api.post("/v1/experiments/" + name + "/stop", AbApi.Role.ADMIN, "{}");
          say("stopped experiment " + name + ", left running by a bench run");
        }
      }
    } catch (Exception e) {
      say("could not list the experiments to stop the bench's own: " + e.getMessage());
    }
  }

  /** The catalogue, the learner on A, and A's training ratings as the replayed users' histories. */
  private void prepare(MovieLens100k.Data ml, List<UserEvent> history) throws Exception {
    awaitAllReady(Duration.ofMinutes(3));
    stopOwnExperiments();
    for (String batch : WireJson.itemBatches(ml.items(), 1000)) {
      api.postOk("/v1/items", AbApi.Role.ADMIN, batch);
    }
    JsonNode model = awaitLearner(Duration.ofMinutes(3));
    say("serving " + model.path("version").asText() + " with the learner on; loading histories");
    List<UserEvent> relabelled =
        BenchNodes.relabel(
            new MovieLens100k.Data(ml.items(), history)
                .shiftedToEndAt(Instant.now().minusSeconds(60)),
            "ab" + run);
    long start = System.nanoTime();
    int sent = 0;
    for (String batch : WireJson.eventBatches(relabelled, 500)) {
      api.postOk("/v1/events", AbApi.Role.INGEST, batch);
      sent += Math.min(500, relabelled.size() - sent);
      if (sent % 10_000 < 500 || sent == relabelled.size()) {
        double s = (System.nanoTime() - start) / 1e9;
        say(
            String.format(
                Locale.ROOT,
                "  histories: %,d/%,d events, %.0f/s, ETA %.0f s",
                sent,
                relabelled.size(),
                sent / s,
                (relabelled.size() - sent) / (sent / s)));
      }
    }
    // A user's first rating has no history before it: no example.
    long users = relabelled.stream().map(UserEvent::userId).distinct().count();
    awaitLearnerCaughtUp(relabelled.size() - users);
  }

  /**
   * Waits until the learner has learned from the histories (each rating after a user's first is an
   * example): until then it takes most of a core, which would slow the replay and time its first
   * lists out.
   */
  private void awaitLearnerCaughtUp(long examples) throws Exception {
    long start = System.nanoTime();
    long last = -1;
    long lastMoved = start;
    long lastPrint = 0;
    while (true) {
      long seen =
          api.getJson("/v1/model", AbApi.Role.READ).path("learner").path("examples").asLong();
      long now = System.nanoTime();
      if (seen != last) {
        last = seen;
        lastMoved = now;
      }
      if (seen >= examples || now - lastMoved > Duration.ofSeconds(60).toNanos()) {
        say(
            String.format(
                Locale.ROOT,
                "the learner has taken %,d of the %,d examples in the histories%s",
                seen,
                examples,
                seen >= examples ? "" : " and stopped moving for 60 s; going on"));
        return;
      }
      if (now - lastPrint > Duration.ofSeconds(10).toNanos()) {
        lastPrint = now;
        double rate = seen / Math.max(1e-9, (now - start) / 1e9);
        say(
            String.format(
                Locale.ROOT,
                "  learner: %,d/%,d examples in the histories, %.0f/s, ETA %.0f s",
                seen,
                examples,
                rate,
                (examples - seen) / Math.max(rate, 1e-9)));
      }
      Thread.sleep(1000);
    }
  }

  private List<AbFigures.Comparison> experiment(
      String label, String control, String variants, List<UserEvent> replay) throws Exception {
    String name = "ab-" + run + "-" + label;
    say("experiment " + name + ": " + replay.size() + " ratings");
    api.postOk(
        "/v1/experiments",
        AbApi.Role.ADMIN,
        "{\"name\":\""
            + name
            + "\",\"control\":\""
            + control
            + "\",\"variants\":["
            + variants
            + "]}");
    if (variants.contains("pinned")) {
      awaitPinned();
    }
    List<AbReplay.Served> served = replayPart(label, replay, () -> false);
    JsonNode figures = awaitFigures(name);
    api.post("/v1/experiments/" + name + "/stop", AbApi.Role.ADMIN, "{}");
    out.println();
    out.println("== " + name + " (control " + control + "; the cluster's figures) ==");
    AbFigures.table(figures).forEach(out::println);
    out.printf(
        Locale.ROOT,
        "  sample ratio (lists per variant against the weights): p = %.3g%s%n",
        figures.path("sampleRatioPValue").asDouble(Double.NaN),
        figures.path("sampleRatioMismatch").asBoolean()
            ? " -- lists, not users: a few heavy users make most of them in this replay"
            : "");
    panels.add(panel(label, served));
    return AbFigures.comparisons(figures);
  }

  /** Every node's pool so far (GET /metrics): slices per model and the pinned versions' bytes. */
  private record PoolSnapshot(PoolCounters current, PoolCounters pinned, double pinnedBytes) {}

  private static final List<String> POOL_SERIES =
      List.of(
          "pulse_inference_model_slice_size_sum{model=\"current\"",
          "pulse_inference_model_slice_size_count{model=\"current\"",
          "pulse_inference_model_slice_size_sum{model=\"pinned\"",
          "pulse_inference_model_slice_size_count{model=\"pinned\"",
          "pulse_inference_held_model_bytes{model=\"pinned\"");

  private PoolSnapshot poolSnapshot() throws Exception {
    double[] c = new double[POOL_SERIES.size()];
    for (int k = 1; k <= options.nodes(); k++) {
      AbApi.Answer m = api.nodeGet(8080 + k, "/metrics", AbApi.Role.ADMIN);
      for (String line : m.body().split("\n")) {
        for (int i = 0; i < c.length; i++) {
          if (line.startsWith(POOL_SERIES.get(i))) {
            c[i] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          }
        }
      }
    }
    return new PoolSnapshot(new PoolCounters(c[0], c[1]), new PoolCounters(c[2], c[3]), c[4]);
  }

  /** The nodes' resident memory, MiB, summed (Linux: /proc/PID/status; NaN elsewhere). */
  private double nodesRssMiB() {
    double kib = 0;
    for (int k = 1; k <= options.nodes(); k++) {
      Path pidFile = infraSettings.varDir().resolve("run").resolve("node-" + (8080 + k) + ".pid");
      try {
        String pid = Files.readString(pidFile).strip();
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
          if (line.startsWith("VmRSS:")) {
            kib += Double.parseDouble(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException | RuntimeException e) {
        return Double.NaN;
      }
    }
    return kib / 1024;
  }

  /** Replays one part and notes what serving it cost. */
  private List<AbReplay.Served> replayPart(
      String part, List<UserEvent> replay, BooleanSupplier stop) throws Exception {
    PoolSnapshot before = poolSnapshot();
    List<AbReplay.Served> served =
        new AbReplay(api, options.clients(), out).run(part, replay, stop);
    PoolSnapshot after = poolSnapshot();
    ServingCost cost =
        new ServingCost(
            part,
            after.current().minus(before.current()),
            after.pinned().minus(before.pinned()),
            before.pinnedBytes() / (1024.0 * 1024.0),
            nodesRssMiB());
    costs.add(cost);
    out.printf(
        Locale.ROOT,
        "  serving: current model %,.0f recommendations in %,.0f encoder calls (%.2f per call),"
            + " pinned %,.0f in %,.0f (%.2f per call); pinned versions hold %,.1f MiB of variables"
            + " over the nodes; nodes' resident memory %,.0f MiB%n",
        cost.current().requests(),
        cost.current().encoderCalls(),
        cost.current().perCall(),
        cost.pinned().requests(),
        cost.pinned().encoderCalls(),
        cost.pinned().perCall(),
        cost.pinnedMiB(),
        cost.rssMiB());
    return served;
  }

  /** Every node holds a pinned version (an experiment's frozen variant, a canary). */
  private void awaitPinned() throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      boolean all = true;
      for (int k = 1; k <= options.nodes(); k++) {
        all &= api.nodeJson(8080 + k, "/v1/model").path("node").path("pinned").size() > 0;
      }
      if (all) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not every node loaded the pinned version within 2 min");
      }
      Thread.sleep(500);
    }
  }

  /** The experiment's figures once every list served has closed its attribution window. */
  private JsonNode awaitFigures(String name) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    Thread.sleep(ATTRIBUTION_WINDOW.plus(LATENESS).toMillis());
    while (true) {
      JsonNode f = api.getJson("/v1/experiments/" + name, AbApi.Role.READ);
      if (f.path("openLists").asLong(-1) == 0 || System.nanoTime() > deadline) {
        return f;
      }
      Thread.sleep(1000);
    }
  }

  private Canary canary(String name, String folder, List<UserEvent> replay) throws Exception {
    String control = api.getJson("/v1/model", AbApi.Role.READ).path("version").asText();
    String version =
        api.postOk("/v1/model/candidates", AbApi.Role.ADMIN, "{\"dir\":\"" + folder + "\"}")
            .path("result")
            .asText();
    String plan =
        String.format(
            Locale.ROOT,
            "{\"version\":\"%s\",\"steps\":%s,\"maxLooks\":%d,\"gates\":{\"minListsPerArm\":%d,"
                + "\"metric\":\"ctr\",\"margin\":%s,\"maxP99Ratio\":3,\"maxP99SlackMs\":250,"
                + "\"maxErrorRateIncrease\":0.05}}",
            version,
            options.steps(),
            options.maxLooks(),
            options.minListsPerArm(),
            options.margin());
    say("canary " + name + ": candidate " + version + " against " + control + ": " + plan);
    api.postOk("/v1/model/rollout", AbApi.Role.ADMIN, plan);
    // Until a node holds the canary its users get the trending fallback, which the gate counts as
    // errors: the replay starts when every node serves it, as traffic would on a warm cluster.
    awaitPinned();
    AtomicReference<JsonNode> state = new AtomicReference<>(rollout(version));
    long[] lastCheck = {0};
    List<AbReplay.Served> served =
        replayPart(
            "canary " + name,
            replay,
            () -> {
              if (System.nanoTime() - lastCheck[0] > 1_000_000_000L) {
                lastCheck[0] = System.nanoTime();
                try {
                  state.set(rollout(version));
                } catch (Exception e) {
                  return false;
                }
              }
              return !"RUNNING".equals(state.get().path("status").asText());
            });
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    JsonNode r = rollout(version);
    while ("RUNNING".equals(r.path("status").asText()) && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      r = rollout(version);
    }
    String status = r.path("status").asText();
    String outcome =
        switch (status) {
          case "PROMOTED" -> "promoted";
          case "ROLLED_BACK" -> "rolled_back";
          default -> "held";
        };
    if (outcome.equals("held")) {
      // Out of replay before the gate decided: abort it (stopping its experiment rolls it back),
      // so that a later rollout may start; the outcome reported stays "held".
      api.post("/v1/experiments/" + r.path("name").asText() + "/stop", AbApi.Role.ADMIN, "{}");
      say("canary " + name + " undecided at the end of its part: aborted");
    }
    List<String> timeline = new ArrayList<>();
    for (JsonNode ev : r.path("timeline")) {
      timeline.add(
          String.format(
              Locale.ROOT,
              "%s %3d%% %-11s %s",
              ev.path("at").asText(),
              ev.path("percent").asInt(),
              ev.path("what").asText(),
              ev.path("reason").asText()));
    }
    out.println();
    out.println("== canary " + name + ": " + outcome + " (" + version + " vs " + control + ") ==");
    timeline.forEach(t -> out.println("  " + t));
    panels.add(panel("canary " + name + " (" + outcome + ")", served));
    Integer at = r.path("atPercent").isNumber() ? r.path("atPercent").asInt() : null;
    Boolean marked = outcome.equals("rolled_back") ? markedRolledBackEverywhere(version) : null;
    return new Canary(
        name, outcome, at, version, control, r.path("reason").asText(null), timeline, marked);
  }

  /**
   * Whether every node's {@code GET /v1/model} history shows {@code version} as ROLLED_BACK (within
   * 30 s): what operators look at after a rollback.
   */
  private boolean markedRolledBackEverywhere(String version) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      int marked = 0;
      for (int k = 1; k <= options.nodes(); k++) {
        for (JsonNode h : api.nodeJson(8080 + k, "/v1/model").path("history")) {
          if (version.equals(h.path("version").asText())
              && "ROLLED_BACK".equals(h.path("status").asText())) {
            marked++;
          }
        }
      }
      if (marked == options.nodes() || System.nanoTime() > deadline) {
        say(
            String.format(
                Locale.ROOT,
                "%s is ROLLED_BACK in GET /v1/model's history on %d of %d nodes",
                version,
                marked,
                options.nodes()));
        return marked == options.nodes();
      }
      Thread.sleep(1000);
    }
  }

  private JsonNode rollout(String version) throws Exception {
    for (JsonNode r : api.getJson("/v1/model/rollout", AbApi.Role.READ).path("rollouts")) {
      if (version.equals(r.path("version").asText())) {
        return r;
      }
    }
    throw new IllegalStateException("no rollout of " + version + " in GET /v1/model/rollout");
  }

  /** CTR@10 per variant over the part, cumulative, as the clients saw it (x: lists served). */
  private static AbPlot.Panel panel(String title, List<AbReplay.Served> served) {
    Map<String, List<double[]>> points = new TreeMap<>();
    Map<String, int[]> counts = new HashMap<>();
    int n = 0;
    for (AbReplay.Served s : served) {
      n++;
      // Lists served after a rollout decided belong to no experiment: the cluster's one version.
      String variant = s.experiment() == null ? "after the decision" : s.variant();
      int[] c = counts.computeIfAbsent(variant, v -> new int[2]);
      c[0]++;
      c[1] += s.hit() ? 1 : 0;
      if (c[0] >= 20) {
        points
            .computeIfAbsent(variant, v -> new ArrayList<>())
            .add(new double[] {n, (double) c[1] / c[0]});
      }
    }
    List<AbPlot.Series> series = new ArrayList<>();
    points.forEach(
        (variant, p) ->
            series.add(
                new AbPlot.Series(
                    variant,
                    p.stream().mapToDouble(x -> x[0]).toArray(),
                    p.stream().mapToDouble(x -> x[1]).toArray())));
    return new AbPlot.Panel(title, "lists served", "CTR@10 so far", series);
  }

  private void report(List<AbFigures.Comparison> comparisons, List<Canary> canaries, Path png)
      throws IOException {
    AbPlot.write(png, panels);
    out.println();
    out.printf(
        Locale.ROOT,
        "plot: %s  log: %s  (%.0f s in all; a replay simulation on MovieLens 100K, not real users;"
            + " Cassandra, Kafka, HAProxy and %d nodes on this box)%n",
        png,
        log,
        (System.nanoTime() - t0) / 1e9,
        options.nodes());
    StringBuilder json = new StringBuilder("{\"bench\":\"ab\",\"run\":\"" + run + "\"");
    json.append(",\"nodes\":").append(options.nodes());
    json.append(",\"experiments\":[");
    for (int i = 0; i < comparisons.size(); i++) {
      json.append(i == 0 ? "" : ",").append(comparisons.get(i).json());
    }
    json.append("],\"canaries\":[");
    for (int i = 0; i < canaries.size(); i++) {
      Canary c = canaries.get(i);
      json.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"name\":\"%s\",\"outcome\":\"%s\",\"atPercent\":%s,\"version\":\"%s\","
                      + "\"control\":\"%s\",\"rolledBackOnEveryNode\":%s,\"steps\":%s,"
                      + "\"minListsPerArm\":%d,\"margin\":%s}",
                  c.name(),
                  c.outcome(),
                  c.atPercent() == null ? "null" : c.atPercent().toString(),
                  c.version(),
                  c.control(),
                  c.markedOnEveryNode(),
                  options.steps(),
                  options.minListsPerArm(),
                  options.margin()));
    }
    json.append("],\"serving\":[");
    for (int i = 0; i < costs.size(); i++) {
      ServingCost c = costs.get(i);
      json.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"part\":\"%s\",\"recommendationsPerEncoderCall\":%s,"
                      + "\"currentPerEncoderCall\":%s,\"pinnedPerEncoderCall\":%s,"
                      + "\"pinnedModelMiB\":%s,\"nodesRssMiB\":%s}",
                  c.part(),
                  BenchJson.num(c.perCall(), 2),
                  BenchJson.num(c.current().perCall(), 2),
                  BenchJson.num(c.pinned().perCall(), 2),
                  BenchJson.num(c.pinnedMiB(), 1),
                  BenchJson.num(c.rssMiB(), 0)));
    }
    json.append("],\"plot\":\"").append(png.toString().replace("\\", "/")).append("\"}");
    out.println(json);
  }

  /** The export of {@code ratings} in {@code model}: reused when there (unless --retrain). */
  private Path trainOrReuse(Path model, List<UserEvent> ratings) throws Exception {
    if (!options.retrain() && Files.isRegularFile(model.resolve("manifest.json"))) {
      say("reusing " + model + " (--retrain trains it again)");
      return model;
    }
    Path data = dir.resolve("train-" + model.getFileName() + ".data");
    OnlineBench.writeMovieLens(data, ratings);
    say(
        String.format(
            Locale.ROOT,
            "training %s on %,d ratings (at most %d epochs / %.1f min) ...",
            model,
            ratings.size(),
            options.epochs(),
            options.maxMinutes()));
    int code =
        ModelCli.run(
            OnlineBench.trainArgs(
                data, model, options.epochs(), options.maxMinutes(), "sampled-softmax"),
            new PrintStream(new OnlineBench.EpochFilter(out), true, StandardCharsets.UTF_8),
            System.err);
    if (code != 0) {
      throw new IllegalStateException("training " + model + " failed (exit " + code + ")");
    }
    return model;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private void awaitAllReady(Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = answers(LB + "/ready");
      for (int k = 1; k <= options.nodes() && all; k++) {
        all = answers("http://127.0.0.1:" + (8080 + k) + "/ready");
      }
      if (all) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("not every node ready within " + within.toSeconds() + " s");
  }

  /** GET /v1/model until the learner reads feedback on A and the cluster serves a version. */
  private JsonNode awaitLearner(Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      AbApi.Answer a = api.get("/v1/model", AbApi.Role.READ);
      if (a.status() == 200) {
        last = a.json();
        if (last.path("version").isTextual() && last.path("learner").path("learning").asBoolean()) {
          return last;
        }
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("the learner did not start within " + within + ": " + last);
  }

  private boolean answers(String url) {
    try {
      return api.probe(url) == 200;
    } catch (Exception e) {
      return false;
    }
  }

  /** Runs {@code bin/pulse args} with {@code env} added, its output to the bench's log. */
  private void pulse(Map<String, String> env, String... args) throws Exception {
    Files.writeString(
        log,
        "$ " + env + " bin/pulse " + String.join(" ", args) + System.lineSeparator(),
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    PulseCommand.run(home, log, env, args);
  }

  private void say(String line) {
    out.printf(Locale.ROOT, "[ab %5.0f s] %s%n", (System.nanoTime() - t0) / 1e9, line);
  }
}
