package pulse.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import pulse.engine.event.EventType;
import pulse.engine.event.UserEvent;

/**
 * Training data for the demo's model, made up here: the demo shop's catalog ({@link
 * SyntheticData.Spec#demo}) with many more users than the demo loads, written in the {@code sasrec}
 * format ({@code user item} per line, each user's lines in time order) that {@code bin/pulse train}
 * reads. Only the event types that enter a user's sequence on the node count, and repeats of one
 * item in a row (click, view, cart) are one step, as the node's inference input collapses them too.
 *
 * <p>{@code java pulse.bench.DemoTrainingData OUT_FILE [users] [events]}
 */
public final class DemoTrainingData {
  static final Set<EventType> SEQUENCE_TYPES =
      EnumSet.of(
          EventType.VIEW,
          EventType.CLICK,
          EventType.ADD_TO_CART,
          EventType.PURCHASE,
          EventType.RATING);

  private DemoTrainingData() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: DemoTrainingData OUT_FILE [users=3000] [events=150000]");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    int users = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    int events = args.length > 2 ? Integer.parseInt(args[2]) : 150_000;
    int lines = write(out, users, events);
    System.out.printf(
        "wrote %,d interactions of %,d users over the demo catalog to %s%n", lines, users, out);
  }

  /**
   * Same catalog seed and size as the demo shop, so the model's items are the ones the node's
   * catalog holds.
   */
  public static int write(Path out, int users, int events) throws IOException {
    return write(out, users, events, SyntheticData.Spec.demo(Instant.now()).itemCount());
  }

  /**
   * With a catalog of {@code items} items (same seed: the first 500 are the demo shop's when items
   * >= 500).
   */
  public static int write(Path out, int users, int events, int items) throws IOException {
    SyntheticData.Spec demo = SyntheticData.Spec.demo(Instant.now());
    SyntheticData.Spec spec =
        new SyntheticData.Spec(demo.seed(), items, users, events, demo.now(), Duration.ofDays(30));
    SyntheticData.Dataset data = SyntheticData.generate(spec);
    Map<String, StringBuilder> perUser = new HashMap<>();
    Map<String, String> lastItem = new HashMap<>();
    int lines = 0;
    for (UserEvent e : data.events()) {
      if (e.itemId() == null
          || !SEQUENCE_TYPES.contains(e.type())
          || e.itemId().equals(lastItem.get(e.userId()))) {
        continue;
      }
      lastItem.put(e.userId(), e.itemId());
      perUser
          .computeIfAbsent(e.userId(), u -> new StringBuilder())
          .append(e.userId())
          .append(' ')
          .append(e.itemId())
          .append('\n');
      lines++;
    }
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = parent.resolve(out.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (StringBuilder sb : perUser.values()) {
        w.append(sb);
      }
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
    return lines;
  }
}
