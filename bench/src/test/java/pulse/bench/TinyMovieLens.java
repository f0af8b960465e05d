package pulse.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * A small data set in MovieLens 100K's files and formats ({@code u.genre}, {@code u.item}, {@code
 * u.data}), made up here, so that the benches that read MovieLens run where {@code
 * ../shared/datasets/ml-100k} is absent. Shaped enough for a model to learn something: each user
 * prefers one or two genres, popularity is skewed, and users rate in sessions over a month,
 * interleaved with each other as the real data is.
 */
final class TinyMovieLens {
  private static final List<String> GENRES =
      List.of(
          "unknown",
          "Action",
          "Adventure",
          "Animation",
          "Children's",
          "Comedy",
          "Crime",
          "Documentary",
          "Drama",
          "Fantasy",
          "Film-Noir",
          "Horror",
          "Musical",
          "Mystery",
          "Romance",
          "Sci-Fi",
          "Thriller",
          "War",
          "Western");

  /** 1997-11-01, inside the real data set's months. */
  private static final long START_SECONDS = 878_342_400L;

  private TinyMovieLens() {}

  /**
   * Writes {@code ratings} ratings (exactly) of {@code users} users over {@code movies} movies into
   * {@code dir}. The same arguments always give the same files.
   */
  static void write(Path dir, int users, int movies, int ratings, long seed) throws IOException {
    if (users < 1 || movies < 2 || ratings < users || ratings > users * (movies / 2)) {
      throw new IllegalArgumentException(
          "need users >= 1, movies >= 2, users <= ratings <= users * movies / 2");
    }
    Random random = new Random(seed);
    Files.createDirectories(dir);
    StringBuilder genres = new StringBuilder();
    for (int g = 0; g < GENRES.size(); g++) {
      genres.append(GENRES.get(g)).append('|').append(g).append('\n');
    }
    Files.writeString(dir.resolve("u.genre"), genres.append('\n'), StandardCharsets.ISO_8859_1);

    // Each movie has one main genre (never "unknown"), and sometimes a second.
    int[] mainGenre = new int[movies + 1];
    StringBuilder items = new StringBuilder();
    for (int m = 1; m <= movies; m++) {
      mainGenre[m] = 1 + random.nextInt(GENRES.size() - 1);
      int second = random.nextDouble() < 0.3 ? 1 + random.nextInt(GENRES.size() - 1) : -1;
      items
          .append(m)
          .append('|')
          .append(String.format(Locale.ROOT, "Movie %d (%d)", m, 1990 + m % 8))
          .append("|01-Jan-")
          .append(1990 + m % 8)
          .append("||http://example.invalid/movie/")
          .append(m);
      for (int g = 0; g < GENRES.size(); g++) {
        items.append('|').append(g == mainGenre[m] || g == second ? '1' : '0');
      }
      items.append('\n');
    }
    Files.writeString(dir.resolve("u.item"), items, StandardCharsets.ISO_8859_1);

    // Popularity: Zipf over a shuffled order of the movies.
    List<Integer> byRank = new ArrayList<>();
    for (int m = 1; m <= movies; m++) {
      byRank.add(m);
    }
    Collections.shuffle(byRank, random);
    double[] cumulative = new double[movies];
    double sum = 0;
    for (int r = 0; r < movies; r++) {
      sum += 1.0 / (r + 1);
      cumulative[r] = sum;
    }

    // Ratings per user: one each, the rest spread at random, none above half the catalog.
    int[] quota = new int[users];
    Arrays.fill(quota, 1);
    for (int left = ratings - users; left > 0; ) {
      int u = random.nextInt(users);
      if (quota[u] < movies / 2) {
        quota[u]++;
        left--;
      }
    }
    List<String> lines = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      Set<Integer> liked = new HashSet<>(); // one or two genres (the two draws may agree)
      liked.add(1 + random.nextInt(GENRES.size() - 1));
      liked.add(1 + random.nextInt(GENRES.size() - 1));
      Set<Integer> seen = new HashSet<>();
      long t = START_SECONDS + random.nextInt(20 * 86_400);
      while (seen.size() < quota[u]) {
        int m = byRank.get(pick(cumulative, random));
        // Mostly the user's genres: a movie of another genre is passed over 19 times in 20 (a user
        // whose genres run
        // out of movies rates others: about half the ratings are in a user's two genres, against
        // one in nine at random).
        if (seen.contains(m) || (!liked.contains(mainGenre[m]) && random.nextDouble() < 0.95)) {
          continue;
        }
        seen.add(m);
        int rating = liked.contains(mainGenre[m]) ? 3 + random.nextInt(3) : 1 + random.nextInt(5);
        lines.add((u + 1) + "\t" + m + "\t" + rating + "\t" + t);
        // A minute or so within a session, now and then a day or two until the next.
        t += random.nextDouble() < 0.1 ? 86_400 + random.nextInt(86_400) : 20 + random.nextInt(120);
      }
    }
    Collections.shuffle(
        lines, random); // u.data is in no particular order; the reader sorts by time
    Files.write(dir.resolve("u.data"), lines, StandardCharsets.ISO_8859_1);
  }

  private static int pick(double[] cumulative, Random random) {
    double x = random.nextDouble() * cumulative[cumulative.length - 1];
    int i = Arrays.binarySearch(cumulative, x);
    return Math.min(i >= 0 ? i + 1 : -i - 1, cumulative.length - 1);
  }
}
