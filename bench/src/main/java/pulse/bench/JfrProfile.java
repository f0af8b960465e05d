package pulse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import one.convert.Arguments;
import one.convert.JfrToFlame;

/**
 * {@code --profile} of a bench: a JDK Flight Recorder recording ("profile" settings: a stack sample
 * of each running Java thread every 10 ms) around the measured part only, written as {@code
 * NAME.jfr} and as a flame graph {@code NAME-flame.html} (async-profiler's converter) under
 * var/bench, and the samples' shares per {@link Category}: where the JVM's CPU went. GC and JIT
 * threads are not Java threads and are not sampled; a bench reports GC time beside.
 */
final class JfrProfile {
  /**
   * A part of the work: a sample belongs to the first category (in the list's order) that one of
   * its frames' class names, or its thread's name, contains a pattern of.
   */
  record Category(String name, List<String> classPrefixes, List<String> threadPrefixes) {
    static Category ofClasses(String name, String... classPrefixes) {
      return new Category(name, List.of(classPrefixes), List.of());
    }

    boolean matches(String thread, List<String> classes) {
      for (String t : threadPrefixes) {
        if (thread.startsWith(t)) {
          return true;
        }
      }
      for (String c : classes) {
        for (String p : classPrefixes) {
          if (c.startsWith(p)) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** What a recording became: its files and each category's share of the samples (sum 1). */
  record Result(Path jfr, Path flameGraph, int samples, Map<String, Double> shares) {}

  static final String OTHER = "other";

  private final Recording recording;

  private JfrProfile(Recording recording) {
    this.recording = recording;
  }

  static JfrProfile start() throws IOException, java.text.ParseException {
    Recording r = new Recording(Configuration.getConfiguration("profile"));
    r.setName("pulse-bench");
    r.start();
    return new JfrProfile(r);
  }

  /** Stops the recording and writes NAME.jfr and NAME-flame.html to {@code dir}. */
  Result stop(Path dir, String name, String title, List<Category> categories) throws IOException {
    Files.createDirectories(dir);
    Path jfr = dir.resolve(name + ".jfr");
    Path html = dir.resolve(name + "-flame.html");
    recording.stop();
    recording.dump(jfr);
    recording.close();
    JfrToFlame.convert(
        jfr.toString(), html.toString(), new Arguments("--norm", "--dot", "--title", title));
    Map<String, Integer> counts = new LinkedHashMap<>();
    categories.forEach(c -> counts.put(c.name(), 0));
    counts.put(OTHER, 0);
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      samples++;
      counts.merge(categoryOf(e, categories), 1, Integer::sum);
    }
    Map<String, Double> shares = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> c : counts.entrySet()) {
      shares.put(c.getKey(), samples == 0 ? 0 : c.getValue() / (double) samples);
    }
    return new Result(jfr, html, samples, shares);
  }

  private static String categoryOf(RecordedEvent sample, List<Category> categories) {
    String thread =
        sample.getThread("sampledThread") == null
            ? ""
            : String.valueOf(sample.getThread("sampledThread").getJavaName());
    List<String> classes = new ArrayList<>();
    for (RecordedFrame f : sample.getStackTrace().getFrames()) {
      if (f.getMethod() != null && f.getMethod().getType() != null) {
        classes.add(f.getMethod().getType().getName());
      }
    }
    for (Category c : categories) {
      if (c.matches(thread, classes)) {
        return c.name();
      }
    }
    return OTHER;
  }

  /** The shares as a table, largest first, with {@code perUnit} CPU microseconds of each. */
  static String table(Result r, double cpuMicrosPerUnit, String unit) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-44s %8s %14s%n",
            "JVM CPU (" + r.samples() + " samples)",
            "share",
            "us/" + unit));
    r.shares().entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .forEach(
            e ->
                sb.append(
                    String.format(
                        Locale.ROOT,
                        "%-44s %7.1f%% %14.1f%n",
                        e.getKey(),
                        100 * e.getValue(),
                        e.getValue() * cpuMicrosPerUnit)));
    sb.append("flame graph: ").append(r.flameGraph().toAbsolutePath()).append('\n');
    return sb.toString();
  }

  /** The shares as a JSON object, e.g. {@code {"trending":0.052,...}}. */
  static String sharesJson(Result r) {
    StringBuilder sb = new StringBuilder("{");
    r.shares()
        .forEach(
            (k, v) -> {
              if (sb.length() > 1) {
                sb.append(',');
              }
              sb.append('"').append(k).append("\":").append(String.format(Locale.ROOT, "%.3f", v));
            });
    return sb.append('}').toString();
  }
}
