package pulse.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import pulse.engine.event.EventType;
import pulse.engine.event.Item;
import pulse.engine.event.UserEvent;

/**
 * Reads the MovieLens 100K data set (GroupLens; https://grouplens.org/datasets/movielens/100k/)
 * from its folder as it is distributed: {@code u.data} (user, item, rating, epoch seconds;
 * tab-separated), {@code u.item} (Latin-1, {@code |}-separated: id, title, release date, video
 * release date, IMDb URL, then one 0/1 flag per genre) and {@code u.genre} (name|index). Nothing is
 * copied out of that folder.
 *
 * <p>Movies become {@link Item}s (id as is, title, genres as categories, release date and IMDb URL
 * as attributes); ratings become {@link EventType#RATING} events with the real timestamps, oldest
 * first. Those timestamps are from 1997-98, which the ingest rules refuse (nothing before 2000) and
 * which every sliding window evaluated now would count as long gone: replay {@link
 * Data#shiftedToEndAt} instead, which keeps every gap between ratings.
 */
public final class MovieLens100k {
  /** The folder the benchmark reads by default, relative to the repository root. */
  public static final Path DEFAULT_FOLDER = Path.of("..", "shared", "datasets", "ml-100k");

  /**
   * u.genre's "unknown" marks a movie with no genre; as a category it would only add noise to
   * affinities.
   */
  private static final String NO_GENRE = "unknown";

  private static final int FIXED_ITEM_FIELDS = 5;

  /**
   * @param items movies in id order
   * @param ratings in timestamp order (ties in file order)
   */
  public record Data(List<Item> items, List<UserEvent> ratings) {
    public int userCount() {
      Set<String> users = new HashSet<>();
      ratings.forEach(r -> users.add(r.userId()));
      return users.size();
    }

    /**
     * The whole catalog with the {@code n} oldest ratings only (all of them when there are fewer):
     * a smaller run.
     */
    public Data first(int n) {
      return n >= ratings.size() ? this : new Data(items, ratings.subList(0, n));
    }

    /**
     * The same ratings moved in time by one constant so that the last one is at {@code end}: order,
     * gaps and time-of-day structure stay as recorded (the shift is whole milliseconds, the
     * timestamps whole seconds).
     */
    public List<UserEvent> shiftedToEndAt(Instant end) {
      if (ratings.isEmpty()) {
        return List.of();
      }
      long shift = end.toEpochMilli() - ratings.get(ratings.size() - 1).timestamp();
      return ratings.stream()
          .map(
              r ->
                  new UserEvent(
                      r.eventId(),
                      r.userId(),
                      r.itemId(),
                      r.type(),
                      r.timestamp() + shift,
                      r.value(),
                      r.context()))
          .toList();
    }
  }

  private MovieLens100k() {}

  /** Reads the data set; fails naming the file and line of anything that does not parse. */
  public static Data load(Path folder) throws IOException {
    List<String> genres = readGenres(folder.resolve("u.genre"));
    List<Item> items = readItems(folder.resolve("u.item"), genres);
    Set<String> itemIds = new HashSet<>();
    items.forEach(i -> itemIds.add(i.itemId()));
    return new Data(items, readRatings(folder.resolve("u.data"), itemIds));
  }

  /** Genre names by their index (the order of u.item's flags). */
  static List<String> readGenres(Path file) throws IOException {
    TreeMap<Integer, String> byIndex = new TreeMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.isBlank()) {
        continue; // the file ends with an empty line
      }
      String[] f = line.split("\\|", -1);
      if (f.length != 2) {
        throw malformed(file, n, "expected name|index");
      }
      byIndex.put(parseInt(f[1], file, n), f[0]);
    }
    List<String> genres = new ArrayList<>(byIndex.values());
    // Distinct sorted keys from 0 to size-1 are exactly 0, 1, ..., size-1.
    if (genres.isEmpty() || byIndex.firstKey() != 0 || byIndex.lastKey() != genres.size() - 1) {
      throw new IOException(
          file
              + ": genre indexes must run 0.."
              + (genres.size() - 1)
              + ", were "
              + byIndex.keySet());
    }
    return List.copyOf(genres);
  }

  static List<Item> readItems(Path file, List<String> genres) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    Map<String, Item> items = new LinkedHashMap<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\\|", -1);
      if (f.length != FIXED_ITEM_FIELDS + genres.size()) {
        throw malformed(
            file,
            n,
            "expected "
                + (FIXED_ITEM_FIELDS + genres.size())
                + " |-separated fields, found "
                + f.length);
      }
      String id = Integer.toString(parseInt(f[0], file, n));
      List<String> categories = new ArrayList<>();
      for (int g = 0; g < genres.size(); g++) {
        String flag = f[FIXED_ITEM_FIELDS + g];
        if (flag.equals("1")) {
          if (!genres.get(g).equals(NO_GENRE)) {
            categories.add(genres.get(g));
          }
        } else if (!flag.equals("0")) {
          throw malformed(
              file, n, "genre flag " + genres.get(g) + " is '" + flag + "', expected 0 or 1");
        }
      }
      Map<String, String> attributes = new HashMap<>();
      if (!f[2].isBlank()) {
        attributes.put("releaseDate", f[2]);
      }
      if (!f[4].isBlank()) {
        attributes.put("imdbUrl", f[4]);
      }
      if (items.put(id, new Item(id, f[1], categories, null, null, true, attributes)) != null) {
        throw malformed(file, n, "item " + id + " appears twice");
      }
    }
    return List.copyOf(items.values());
  }

  static List<UserEvent> readRatings(Path file, Set<String> itemIds) throws IOException {
    List<UserEvent> ratings = new ArrayList<>(100_000);
    int n = 0;
    try (var reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine(), n++) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length != 4) {
          throw malformed(file, n, "expected user, item, rating, timestamp separated by tabs");
        }
        String user = Integer.toString(parseInt(f[0], file, n));
        String item = Integer.toString(parseInt(f[1], file, n));
        int rating = parseInt(f[2], file, n);
        long epochSeconds = parseInt(f[3], file, n);
        if (rating < 1 || rating > 5) {
          throw malformed(file, n, "rating " + rating + " is not in 1..5");
        }
        if (!itemIds.contains(item)) {
          throw malformed(file, n, "item " + item + " is not in u.item");
        }
        // A user rates a movie once in this data set, so user and item make a unique, stable event
        // id.
        ratings.add(
            new UserEvent(
                "ml-" + user + "-" + item,
                user,
                item,
                EventType.RATING,
                epochSeconds * 1000,
                (double) rating,
                null));
      }
    }
    ratings.sort(Comparator.comparingLong(UserEvent::timestamp)); // stable: ties keep file order
    return List.copyOf(ratings);
  }

  private static int parseInt(String text, Path file, int line) throws IOException {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw malformed(file, line, "'" + text + "' is not a whole number");
    }
  }

  private static IOException malformed(Path file, int zeroBasedLine, String what) {
    return new IOException(file + " line " + (zeroBasedLine + 1) + ": " + what);
  }
}
