package pulse.bench.micro;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code bin/pulse bench micro [--quick] [--include REGEX]}: the JMH micro-benchmarks of the hot
 * pure pieces (features per event, batching bookkeeping, parsing a 500-event body, top-K inputs),
 * each in its own forked JVM, warm (3 x 1 s warm-up, 5 x 1 s measured; --quick: 1 and 2). Prints
 * JMH's progress, then a table and a final JSON line.
 */
public final class MicroBench {
  private MicroBench() {}

  public static void main(String[] args) throws RunnerException, JsonProcessingException {
    boolean quick = false;
    String include = MicroBench.class.getPackageName() + "\\..*Bench";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--include" -> {
          if (i + 1 >= args.length) usage("--include needs a regular expression");
          include = args[++i];
        }
        default -> usage("unknown option " + args[i]);
      }
    }
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(include)
            .forks(1)
            .threads(1)
            .warmupIterations(quick ? 1 : 3)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(quick ? 2 : 5)
            .measurementTime(TimeValue.seconds(1))
            .jvmArgsAppend("-Xms512m", "-Xmx512m")
            .shouldFailOnError(true);
    Collection<RunResult> results = new Runner(options.build()).run();
    List<Map<String, Object>> rows = new ArrayList<>();
    System.out.printf(
        Locale.ROOT, "%n%-48s %12s %10s  %s%n", "benchmark", "score", "+-99.9%", "unit");
    for (RunResult r : results) {
      var s = r.getPrimaryResult();
      String name = shortName(r.getParams().getBenchmark());
      System.out.printf(
          Locale.ROOT,
          "%-48s %12.1f %10.1f  %s%n",
          name,
          s.getScore(),
          s.getScoreError(),
          s.getScoreUnit());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("benchmark", name);
      row.put("score", round(s.getScore()));
      // JMH has no error bound for fewer than 3 iterations (--quick): NaN, written as null.
      row.put("error", Double.isFinite(s.getScoreError()) ? round(s.getScoreError()) : null);
      row.put("unit", s.getScoreUnit());
      rows.add(row);
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("bench", "micro");
    line.put("quick", quick);
    line.put("results", rows);
    System.out.println(new ObjectMapper().writeValueAsString(line));
  }

  /** "pulse.bench.micro.EventParseBench.parse500Events" as "EventParseBench.parse500Events". */
  static String shortName(String benchmark) {
    int method = benchmark.lastIndexOf('.');
    return benchmark.substring(benchmark.lastIndexOf('.', method - 1) + 1);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static void usage(String problem) {
    System.err.println("error: " + problem);
    System.err.println("usage: bin/pulse bench micro [--quick] [--include REGEX]");
    System.exit(2);
  }
}
