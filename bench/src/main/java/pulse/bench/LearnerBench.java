package pulse.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pulse.engine.event.Item;
import pulse.engine.event.UserEvent;
import pulse.engine.feedback.FeedRecord;
import pulse.engine.feedback.FeedbackEvent;
import pulse.engine.learning.LearnerCore;
import pulse.engine.learning.LearnerSettings;
import pulse.engine.learning.PrequentialWindow;
import pulse.engine.learning.WindowMetrics;
import pulse.http.JsonSupport;
import pulse.infra.PulseConfig;
import pulse.model.Device;
import pulse.model.export.ModelDirectory;

/**
 * {@code bin/pulse bench learner --model DIR [--data DIR] [--events N] [--chunk 50] SETTING...}:
 * the online learner's core alone (no node, Kafka or Cassandra) over the same MovieLens 100K replay
 * as {@code bench online} (the last 20% of the timeline, or of its first {@code --events} ratings
 * as {@code bench online --events} replays them, in order, {@code --chunk} records per step, as 200
 * ms of 250 events/s), once per SETTING, each from a fresh load of the model. Prints a line per
 * setting and a final JSON line. A run takes under a minute, against ten for {@code bench online}:
 * it is for choosing the learner's settings, which {@code bench online} then confirms end to end.
 *
 * <p>SETTING: {@code frozen}, or {@code on}, either followed by any of {@code :lr=X}, {@code
 * :optimizer=sgd|adam}, {@code :parameters=item-rows|everything}, {@code :history=N}
 * (examples.max-history: what the learner keeps and scores with), {@code :rescore}. {@code rescore}
 * scores the replay again with the model learning left behind (in-sample): how much of what it saw
 * the learner kept at all.
 *
 * <p>Every setting after the first is also compared with the first example by example: the mean
 * NDCG@10 difference over the examples both scored, with a 95% block-bootstrap interval ({@link
 * PairedDifference}, blocks of {@value #BLOCK} consecutive examples, about a second of the replay).
 */
public final class LearnerBench {
  static final int BLOCK = 250;
  private static final int RESAMPLES = 2000;

  public static void main(String[] args) throws Exception {
    Path data = MovieLens100k.DEFAULT_FOLDER;
    Path model = null;
    int events = Integer.MAX_VALUE;
    int chunk = 50;
    List<String> settings = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = Path.of(args[++i]);
        case "--model" -> model = Path.of(args[++i]);
        case "--events" -> events = Integer.parseInt(args[++i]);
        case "--chunk" -> chunk = Integer.parseInt(args[++i]);
        default -> settings.add(args[i]);
      }
    }
    if (model == null
        || !Files.isRegularFile(model.resolve("manifest.json"))
        || settings.isEmpty()
        || chunk < 1
        || events < 10) {
      System.err.println(
          "usage: bench learner --model DIR [--data DIR] [--events N] [--chunk 50] "
              + "frozen on[:lr=X][:optimizer=adam|sgd]"
              + "[:parameters=item-rows|everything][:history=N][:rescore] ... (DIR: e.g. the model bench online trained, "
              + "var/bench/online/models/ml100k-first80-ssm)");
      System.exit(2);
    }
    List<FeedRecord> replay = replay(MovieLens100k.load(data).first(events));
    System.out.printf(
        Locale.ROOT,
        "%-44s %8s %8s %8s %8s  %s%n",
        "setting",
        "scored",
        "HR@10",
        "NDCG@10",
        "seconds",
        "NDCG@10 per tenth of the replay");
    double[] first = null;
    List<Map<String, Object>> results = new ArrayList<>();
    for (String s : settings) {
      Outcome o = run(s, model, replay, chunk);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("setting", s);
      result.put("scored", o.scored());
      result.put("hr10", finite(o.hr10()));
      result.put("ndcg10", finite(o.ndcg10()));
      result.put("seconds", finite(o.seconds()));
      if (first == null) {
        first = o.ndcg();
      } else {
        PairedDifference.Interval d = PairedDifference.of(o.ndcg(), first, BLOCK, RESAMPLES, 11);
        System.out.printf(
            Locale.ROOT,
            "  vs %s, example by example: NDCG@10 %+.4f (%+.1f%%), 95%% interval %+.4f .. "
                + "%+.4f over %,d examples both scored%n",
            settings.get(0),
            d.mean(),
            100 * d.mean() / mean(first),
            d.low(),
            d.high(),
            d.pairs());
        Map<String, Object> vsFirst = new LinkedHashMap<>(); // not Map.of: a value may be null
        vsFirst.put("mean", finite(d.mean()));
        vsFirst.put("low", finite(d.low()));
        vsFirst.put("high", finite(d.high()));
        vsFirst.put("pairs", d.pairs());
        result.put("ndcg10VsFirst", vsFirst);
      }
      results.add(result);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("bench", "learner");
    json.put("model", model.toString());
    json.put("replayed", replay.size());
    json.put("chunk", chunk);
    json.put("settings", results);
    System.out.println(JsonSupport.MAPPER.writeValueAsString(json));
    System.exit(0);
  }

  /**
   * What one setting measured: each example's NDCG@10 by its place in the replay (NaN: not scored),
   * the totals.
   */
  record Outcome(double[] ndcg, long scored, double hr10, double ndcg10, double seconds) {}

  /** NaN is not JSON: what was not measured is null. */
  private static Object finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /**
   * The last 20% of the ratings as feedback records, genres as categories (for new items' rows).
   */
  static List<FeedRecord> replay(MovieLens100k.Data ml) {
    Map<String, List<String>> categories = new HashMap<>();
    for (Item it : ml.items()) {
      categories.put(it.itemId(), it.categories());
    }
    List<FeedRecord> out = new ArrayList<>();
    for (UserEvent e : ml.ratings().subList(OnlineBench.trainSize(ml), ml.ratings().size())) {
      out.add(
          new FeedRecord(
              0,
              out.size(),
              new FeedbackEvent(e.userId(), e.eventId(), e.itemId(), "rating", e.timestamp()),
              categories.getOrDefault(e.itemId(), List.of()),
              e.timestamp()));
    }
    return out;
  }

  /**
   * bench online's learner (its overrides on conf/, so the defaults are the configured ones), with
   * the guardrail never judging: a setting is measured over the whole replay, not stopped part way.
   */
  static LearnerSettings settings(String spec, Path model) {
    Map<String, String> kv = new HashMap<>();
    for (String part : spec.split(":")) {
      String[] p = part.split("=", 2);
      kv.put(p[0], p.length > 1 ? p[1] : "");
    }
    String mode = kv.containsKey("frozen") ? "frozen" : "on";
    Double lr = kv.containsKey("lr") ? Double.valueOf(kv.get("lr")) : null;
    Config overrides =
        ConfigFactory.parseString(
                String.join(
                    "\n",
                    kv.containsKey("optimizer")
                        ? "pulse.learning.optimizer = \"" + kv.get("optimizer") + "\""
                        : "",
                    kv.containsKey("history")
                        ? "pulse.learning.examples.max-history = " + kv.get("history")
                        : "",
                    "pulse.learning.guardrail.min-examples = " + Long.MAX_VALUE))
            .withFallback(
                OnlineBench.overrides(
                    model.getParent(),
                    "bench-events",
                    "bench",
                    1,
                    "bench-feedback",
                    "bench",
                    mode,
                    lr,
                    kv.get("parameters")));
    return LearnerSettings.fromConfig(
        PulseConfig.load(PulseConfig.home(), Path.of("conf", "application.conf"), overrides));
  }

  private static double mean(double[] values) {
    return Arrays.stream(values).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
  }

  /** Runs one setting. */
  private static Outcome run(String spec, Path dir, List<FeedRecord> replay, int chunk)
      throws Exception {
    LearnerSettings s = settings(spec, dir);
    double[] ndcg = new double[replay.size()];
    Arrays.fill(ndcg, Double.NaN);
    Outcome outcome;
    try (ModelDirectory.Loaded m = ModelDirectory.load(dir, s.sessionThreads(), Device.CPU)) {
      LearnerCore core = new LearnerCore(s, m.model(), m.items(), "bench", 1, Map.of(), 7);
      core.onScored((example, rank) -> ndcg[(int) example] = PrequentialWindow.ndcg10(rank));
      core.warmUp(
          32); // as the node's learner does before its stream starts: not in the seconds printed
      long t0 = System.nanoTime();
      StringBuilder tenths = new StringBuilder();
      int tenth = 1;
      long prevN = 0;
      double prevSum = 0;
      for (int i = 0; i < replay.size(); i += chunk) {
        int end = Math.min(replay.size(), i + chunk);
        if (core.step(replay.subList(i, end)) instanceof LearnerCore.Rejected r) {
          System.out.println("  rejected: " + r.reason());
          break;
        }
        if (end >= (long) replay.size() * tenth / 10) {
          WindowMetrics c = core.cumulative();
          tenths.append(
              String.format(
                  Locale.ROOT,
                  " %.4f",
                  (c.ndcg10() * c.examples() - prevSum) / Math.max(1, c.examples() - prevN)));
          prevN = c.examples();
          prevSum = c.ndcg10() * c.examples();
          tenth++;
        }
      }
      core.close();
      WindowMetrics c = core.cumulative();
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "%-44s %,8d %8.4f %8.4f %8.1f %s%n",
          spec,
          c.examples(),
          c.hr10(),
          c.ndcg10(),
          seconds,
          tenths);
      outcome = new Outcome(ndcg, c.examples(), c.hr10(), c.ndcg10(), seconds);
      if (spec.contains("rescore") && s.learns()) {
        LearnerCore again =
            new LearnerCore(
                settings("frozen", dir), m.model(), core.items(), "bench", 1, Map.of(), 7);
        for (int i = 0; i < replay.size(); i += chunk) {
          again.step(replay.subList(i, Math.min(replay.size(), i + chunk)));
        }
        WindowMetrics r = again.cumulative();
        System.out.printf(
            Locale.ROOT,
            "%-44s %,8d %8.4f %8.4f%n",
            "  the same replay again, after learning",
            r.examples(),
            r.hr10(),
            r.ndcg10());
      }
    }
    return outcome;
  }
}
