package pulse.model.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sweep --settings "S1;S2;..." [--sweep-dir DIR] TRAIN-OPTIONS}: one {@code train --no-test}
 * per setting (a setting is {@code key=value} pairs separated by spaces or commas, each becoming
 * {@code --key value}; an empty setting is the defaults), the other options passed to every
 * training. Prints one line per setting with the best validation figures, sampled and full ranking;
 * test figures are never computed, so a recipe chosen from this table has not seen the test split.
 * Each training's full log goes to {@code DIR/N.log}, its model to {@code DIR/N}.
 */
final class Sweep {
  private Sweep() {}

  static void run(String[] argv, PrintStream out) throws IOException {
    String settings = null;
    Path dir = null;
    List<String> common = new ArrayList<>();
    for (int i = 1; i < argv.length; i++) {
      switch (argv[i]) {
        case "--settings" -> settings = value(argv, ++i, "--settings");
        case "--sweep-dir" -> dir = Path.of(value(argv, ++i, "--sweep-dir"));
        case "--out", "--no-test" ->
            throw new UsageException(argv[i] + " is the sweep's own (see --sweep-dir)");
        default -> common.add(argv[i]);
      }
    }
    if (settings == null) throw new UsageException("missing required option --settings");
    if (dir == null) dir = Files.createTempDirectory("pulse-sweep");
    Files.createDirectories(dir);
    String[] each = settings.split(";", -1);
    out.printf(Locale.ROOT, "sweep: %d settings, logs and models under %s%n", each.length, dir);
    out.printf(
        Locale.ROOT,
        "%-44s %6s %7s %8s %8s %8s %8s %8s%n",
        "setting (validation users only)",
        "best",
        "epochs",
        "seconds",
        "s.HR@10",
        "s.NDCG",
        "f.HR@10",
        "f.NDCG");
    for (int n = 0; n < each.length; n++) {
      List<String> args = new ArrayList<>(List.of("train"));
      args.addAll(common);
      args.addAll(List.of("--out", dir.resolve(String.valueOf(n)).toString(), "--no-test"));
      for (String pair : each[n].trim().split("[\\s,]+")) {
        if (pair.isEmpty()) continue;
        int eq = pair.indexOf('=');
        if (eq < 1) throw new UsageException("setting '" + pair + "' is not key=value");
        args.add("--" + pair.substring(0, eq));
        args.add(pair.substring(eq + 1));
      }
      String label = each[n].trim().isEmpty() ? "(defaults)" : each[n].trim();
      Path log = dir.resolve(n + ".log");
      Map<String, Object> line;
      try (OutputStream file = Files.newOutputStream(log);
          PrintStream p = new PrintStream(file, true, StandardCharsets.UTF_8)) {
        line = ModelCli.train(new Args(args.toArray(String[]::new), 1, ModelCli.TRAIN_FLAGS), p);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> v = (Map<String, Object>) line.get("validation");
      out.printf(
          Locale.ROOT,
          "%-44s %6s %7s %8s %8.4f %8.4f %8.4f %8.4f%n",
          label,
          line.get("bestEpoch"),
          line.get("epochsRun"),
          line.get("trainSeconds"),
          num(v, "sampled_hr10"),
          num(v, "sampled_ndcg10"),
          num(v, "full_hr10"),
          num(v, "full_ndcg10"));
      out.flush();
    }
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  private static String value(String[] argv, int i, String name) {
    if (i >= argv.length) throw new UsageException("option " + name + " needs a value");
    return argv[i];
  }
}
