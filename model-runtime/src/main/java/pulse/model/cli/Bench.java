package pulse.model.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import pulse.model.Device;
import pulse.model.ModelConfig;
import pulse.model.RecommendRequest;
import pulse.model.SasRecModel;
import pulse.model.SequenceInput;
import pulse.model.export.JsonCodec;
import pulse.model.export.ModelDirectory;
import pulse.model.export.ModelLoadException;

/**
 * Latency and throughput of the inference call (encode + full-catalogue scores + in-graph top-10
 * with exclusions) for batch sizes 1..256 at maxLen 50 and 200, with achieved GFLOP/s beside an
 * estimated CPU peak. Full-length random histories; each history's own items are excluded, as the
 * engine would. Warm (after warm-up calls), single caller thread. {@code --batches} and {@code
 * --lengths} pick other sizes, e.g. a run of seconds ({@code --batches 1,8 --lengths 50
 * --iterations 3}).
 */
final class Bench {
  static final int[] BATCHES = {1, 8, 32, 128, 256};
  static final int[] LENGTHS = {50, 200};
  private static final int TOP_K = 10;

  private Bench() {}

  record Row(
      int maxLen,
      int batch,
      double p50Ms,
      double p95Ms,
      double seqPerSec,
      double gflops,
      boolean trainedWeights) {}

  static void run(Args a, PrintStream out) throws ModelLoadException, IOException {
    Path dir = a.existingDir("model");
    int iterations = a.integer("iterations", 30);
    int threads = a.integer("threads", 0);
    String device = a.string("device", null);
    int[] batches = sizes(a, "batches", BATCHES);
    int[] lengths = sizes(a, "lengths", LENGTHS);
    a.rejectUnknown();
    if (iterations < 3) throw new UsageException("--iterations must be >= 3");
    List<Row> rows = new ArrayList<>();
    ModelConfig trainedCfg;
    int assigned;
    try (ModelDirectory.Loaded loaded =
        ModelDirectory.load(dir, threads, device == null ? null : Device.parse(device))) {
      trainedCfg = loaded.model().config();
      assigned = loaded.model().assignedItems();
      out.printf(
          Locale.ROOT,
          "model %s: d=%d blocks=%d heads=%d maxLen=%d items=%d%n",
          dir,
          trainedCfg.dim(),
          trainedCfg.blocks(),
          trainedCfg.heads(),
          trainedCfg.maxLen(),
          assigned);
      for (int len : lengths) {
        if (len == trainedCfg.maxLen())
          rows.addAll(measure(loaded.model(), batches, iterations, true));
      }
    }
    for (int len : lengths) {
      if (len == trainedCfg.maxLen()) continue;
      // Same architecture and catalogue at another length: weights are random, which does not
      // change cost.
      try (SasRecModel m =
          SasRecModel.create(trainedCfg.withMaxLen(len).withDevice(trainedCfg.device()), threads)) {
        m.setAssignedItems(assigned);
        rows.addAll(measure(m, batches, iterations, false));
      }
    }
    rows.sort(
        (x, y) ->
            x.maxLen() != y.maxLen()
                ? Integer.compare(x.maxLen(), y.maxLen())
                : Integer.compare(x.batch(), y.batch()));
    CpuPeak peak = CpuPeak.estimate();
    out.printf(
        Locale.ROOT,
        "%7s %6s %10s %10s %12s %9s %8s%n",
        "maxLen",
        "batch",
        "p50 ms",
        "p95 ms",
        "seq/s",
        "GFLOP/s",
        "weights");
    for (Row r : rows) {
      out.printf(
          Locale.ROOT,
          "%7d %6d %10.3f %10.3f %12.0f %9.1f %8s%n",
          r.maxLen(),
          r.batch(),
          r.p50Ms(),
          r.p95Ms(),
          r.seqPerSec(),
          r.gflops(),
          r.trainedWeights() ? "trained" : "random");
    }
    double best = rows.stream().mapToDouble(Row::gflops).max().orElse(0);
    out.printf(
        Locale.ROOT,
        "best %.1f GFLOP/s = %.1f%% of the estimated CPU peak %.0f GFLOP/s (%s)%n",
        best,
        100 * best / peak.gflops(),
        peak.gflops(),
        peak.description());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("command", "bench");
    json.put("model", dir.toString());
    json.put("topK", TOP_K);
    json.put("cpuPeakGflops", Math.round(peak.gflops()));
    json.put("cpuPeakBasis", peak.description());
    List<Object> list = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("maxLen", r.maxLen());
      m.put("batch", r.batch());
      m.put("p50Ms", round(r.p50Ms()));
      m.put("p95Ms", round(r.p95Ms()));
      m.put("seqPerSec", Math.round(r.seqPerSec()));
      m.put("gflops", round(r.gflops()));
      m.put("weights", r.trainedWeights() ? "trained" : "random");
      list.add(m);
    }
    json.put("results", list);
    out.println(JsonCodec.write(json));
  }

  /**
   * {@code --name 1,8,32}: distinct positive sizes, or {@code fallback} when the option is absent.
   */
  static int[] sizes(Args a, String name, int[] fallback) {
    String v = a.string(name, null);
    if (v == null) return fallback;
    try {
      int[] sizes =
          Arrays.stream(v.split(","))
              .map(String::strip)
              .mapToInt(Integer::parseInt)
              .distinct()
              .toArray();
      if (sizes.length > 0 && Arrays.stream(sizes).allMatch(s -> s > 0)) return sizes;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new UsageException(
        "--" + name + " must be positive integers separated by commas, got '" + v + "'");
  }

  static List<Row> measure(SasRecModel model, int[] batches, int iterations, boolean trained) {
    ModelConfig c = model.config();
    SplittableRandom rnd = new SplittableRandom(17);
    List<Row> rows = new ArrayList<>();
    for (int b : batches) {
      List<RecommendRequest> reqs = new ArrayList<>(b);
      for (int i = 0; i < b; i++) {
        int[] items = new int[c.maxLen()];
        int assigned = Math.max(1, model.assignedItems());
        for (int j = 0; j < items.length; j++) items[j] = 1 + rnd.nextInt(assigned);
        reqs.add(new RecommendRequest(SequenceInput.of(items), items, null));
      }
      for (int w = 0; w < 3; w++) model.recommend(reqs, TOP_K);
      Histogram nanos = new Histogram(3); // 3 significant digits, grows with the values
      for (int i = 0; i < iterations; i++) {
        long t = System.nanoTime();
        model.recommend(reqs, TOP_K);
        nanos.recordValue(System.nanoTime() - t);
      }
      double p50 = nanos.getValueAtPercentile(50) / 1e6;
      double p95 = nanos.getValueAtPercentile(95) / 1e6;
      double flops = flopsPerSequence(c) * b;
      rows.add(
          new Row(c.maxLen(), b, p50, p95, b / (p50 / 1e3), flops / (p50 / 1e3) / 1e9, trained));
    }
    return rows;
  }

  /**
   * Multiply-adds counted as 2 FLOPs. Per block: Q/K/V/O projections 4*2*L*d^2, attention scores
   * and weighted sum 2*2*L^2*d, feed-forward 2*2*L*d^2; plus scoring the catalogue 2*d*(N+1).
   * Element-wise work (layer norm, softmax, masks, top-K) is not counted, so the figure is a lower
   * bound on work done.
   */
  static double flopsPerSequence(ModelConfig c) {
    double l = c.maxLen();
    double d = c.dim();
    double perBlock = 12 * l * d * d + 4 * l * l * d;
    return c.blocks() * perBlock + 2 * d * (c.numItems() + 1);
  }

  record CpuPeak(double gflops, String description) {
    /**
     * cores x clock x FP32 FLOP/cycle read off /proc/cpuinfo; a nominal upper bound, not a
     * measurement.
     */
    static CpuPeak estimate() {
      int cores = Runtime.getRuntime().availableProcessors();
      double mhz = 2000;
      String flags = "";
      String vendor = "";
      try {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
          if (line.startsWith("cpu MHz"))
            mhz = Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
          if (line.startsWith("flags") && flags.isEmpty()) flags = line;
          if (line.startsWith("vendor_id") && vendor.isEmpty()) vendor = line;
        }
      } catch (IOException | NumberFormatException ignored) {
        // keep defaults: the peak is only shown for scale
      }
      boolean avx512 = flags.contains(" avx512f");
      boolean fma = flags.contains(" fma") && flags.contains(" avx2");
      boolean amd = vendor.contains("AMD");
      // Two FMA pipes per core: 2 x 8 lanes x 2 (AVX2), Intel AVX-512 2 x 16 x 2; AMD Zen runs
      // AVX-512 on
      // 256-bit pipes, so it gets the AVX2 figure.
      int perCycle = avx512 && !amd ? 64 : fma ? 32 : 8;
      double g = cores * mhz / 1000 * perCycle;
      String desc =
          String.format(
              Locale.ROOT,
              "%d cores x %.2f GHz x %d FP32 FLOP/cycle%s",
              cores,
              mhz / 1000,
              perCycle,
              avx512
                  ? (amd ? ", AVX-512 on 256-bit pipes" : ", AVX-512")
                  : fma ? ", AVX2+FMA" : "");
      return new CpuPeak(g, desc);
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
