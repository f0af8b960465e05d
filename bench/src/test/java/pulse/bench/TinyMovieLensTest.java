package pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyMovieLensTest {

  @Test
  void theReaderOfTheRealDataSetReadsItWhole(@TempDir Path dir) throws Exception {
    TinyMovieLens.write(dir, 40, 150, 900, 7);
    MovieLens100k.Data data = MovieLens100k.load(dir);
    assertEquals(150, data.items().size());
    assertEquals(900, data.ratings().size());
    assertEquals(40, data.userCount());
    assertEquals(
        900,
        data.ratings().stream().map(e -> e.eventId()).distinct().count(),
        "a user rates a movie once");
    assertTrue(
        data.items().stream().allMatch(i -> !i.categories().isEmpty()), "every movie has a genre");
  }

  @Test
  void usersKeepToTheirGenres(@TempDir Path dir) throws Exception {
    TinyMovieLens.write(dir, 40, 150, 900, 7);
    MovieLens100k.Data data = MovieLens100k.load(dir);
    Map<String, List<String>> genresOf = new HashMap<>();
    data.items().forEach(i -> genresOf.put(i.itemId(), i.categories()));
    // The share of a user's ratings in that user's two most rated genres, over all users: about 2
    // in 18 if users
    // rated at random (a movie with two genres counts for both); about half here.
    Map<String, Map<String, Integer>> counts = new HashMap<>();
    data.ratings()
        .forEach(
            r ->
                genresOf
                    .get(r.itemId())
                    .forEach(
                        g ->
                            counts
                                .computeIfAbsent(r.userId(), u -> new HashMap<>())
                                .merge(g, 1, Integer::sum)));
    double top =
        counts.values().stream()
            .mapToInt(
                m ->
                    m.values().stream()
                        .sorted(Comparator.reverseOrder())
                        .limit(2)
                        .mapToInt(Integer::intValue)
                        .sum())
            .sum();
    assertTrue(
        top / data.ratings().size() > 0.35, "top-two-genre share " + top / data.ratings().size());
  }

  @Test
  void sameArgumentsSameFiles(@TempDir Path a, @TempDir Path b) throws Exception {
    TinyMovieLens.write(a, 10, 40, 100, 3);
    TinyMovieLens.write(b, 10, 40, 100, 3);
    for (String f : new String[] {"u.genre", "u.item", "u.data"}) {
      assertEquals(
          Files.readString(a.resolve(f), StandardCharsets.ISO_8859_1),
          Files.readString(b.resolve(f), StandardCharsets.ISO_8859_1),
          f);
    }
  }
}
