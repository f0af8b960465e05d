package pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import pulse.engine.event.EventType;
import pulse.engine.event.Item;
import pulse.engine.event.UserEvent;
import pulse.engine.ingest.EventParser;
import pulse.engine.ingest.ItemParser;
import pulse.engine.ingest.ParseResult;

class MovieLens100kTest {
  private static final Instant END = Instant.parse("2026-11-23T12:00:00Z");

  /** Against the real data set beside the repository; skipped where it is absent. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class RealDataSet {
    private MovieLens100k.Data data;

    @BeforeAll
    void load() throws IOException {
      Path folder =
          Path.of(System.getProperty("pulse.home", "."))
              .resolve(MovieLens100k.DEFAULT_FOLDER)
              .normalize();
      assumeTrue(
          Files.isRegularFile(folder.resolve("u.data")), "MovieLens 100K not found at " + folder);
      data = MovieLens100k.load(folder);
    }

    @Test
    void hasEveryRatingUserAndMovie() {
      assertEquals(100_000, data.ratings().size());
      assertEquals(943, data.userCount());
      assertEquals(1_682, data.items().size());
      assertEquals(
          100_000,
          data.ratings().stream().map(UserEvent::eventId).distinct().count(),
          "event ids are unique");
    }

    @Test
    void toyStoryHasItsTitleAndGenres() {
      Item toyStory = data.items().get(0);
      assertEquals("1", toyStory.itemId());
      assertEquals("Toy Story (1995)", toyStory.title());
      assertEquals(List.of("Animation", "Children's", "Comedy"), toyStory.categories());
      assertEquals("01-Jan-1995", toyStory.attributes().get("releaseDate"));
      assertTrue(toyStory.available());
      assertNull(toyStory.price());
    }

    @Test
    void latinOneTitlesAreDecoded() {
      // u.item is ISO-8859-1: read as UTF-8 these accents would turn into replacement characters.
      assertTrue(data.items().stream().anyMatch(i -> i.title().contains("é")));
      assertTrue(data.items().stream().noneMatch(i -> i.title().contains("\uFFFD")));
    }

    @Test
    void ratingsAreInTimeOrderWithTheirRecordedValues() {
      List<UserEvent> r = data.ratings();
      assertEquals(r.stream().sorted(Comparator.comparingLong(UserEvent::timestamp)).toList(), r);
      // The first line of u.data: 196	242	3	881250949
      UserEvent first =
          r.stream().filter(e -> e.eventId().equals("ml-196-242")).findFirst().orElseThrow();
      assertEquals(
          new UserEvent("ml-196-242", "196", "242", EventType.RATING, 881_250_949_000L, 3.0, null),
          first);
      assertTrue(
          r.stream()
              .allMatch(e -> e.value() >= 1 && e.value() <= 5 && e.type() == EventType.RATING));
    }

    @Test
    void realTimestampsAreRefusedByIngestSoTheBenchShiftsThem() {
      EventParser parser = new EventParser(Clock.fixed(END, ZoneOffset.UTC));
      var refused = parser.parse(WireJson.event(data.ratings().get(0)));
      assertEquals("timestamp", ((ParseResult.Invalid<UserEvent>) refused).errors().get(0).field());

      List<UserEvent> shifted = data.shiftedToEndAt(END);
      assertEquals(END.toEpochMilli(), shifted.get(shifted.size() - 1).timestamp());
      long shift = END.toEpochMilli() - data.ratings().get(data.ratings().size() - 1).timestamp();
      for (int i = 0; i < shifted.size(); i++) {
        UserEvent original = data.ratings().get(i);
        UserEvent moved = shifted.get(i);
        assertEquals(original.timestamp() + shift, moved.timestamp());
        assertEquals(new ParseResult.Valid<>(moved), parser.parse(WireJson.event(moved)));
      }
    }

    @Test
    void everyMovieIsAValidCatalogItem() {
      ItemParser parser = new ItemParser();
      for (Item item : data.items()) {
        assertEquals(
            new ParseResult.Valid<>(item), parser.parse(WireJson.item(item)), item.toString());
      }
    }
  }

  /** The parsing rules on small hand-written files. */
  @Nested
  class HandWrittenFiles {
    @TempDir Path dir;

    private void write(String name, String content) throws IOException {
      Files.writeString(dir.resolve(name), content, StandardCharsets.ISO_8859_1);
    }

    private void threeGenres() throws IOException {
      write("u.genre", "unknown|0\nAction|1\nComedy|2\n\n");
    }

    @Test
    void readsMoviesAndRatingsAndDropsTheUnknownGenre() throws IOException {
      threeGenres();
      write(
          "u.item",
          "1|Café Society (1995)|01-Jan-1995||http://x|0|1|1\n2|Mystery (1996)|||http://y|1|0|0\n");
      write("u.data", "5\t2\t4\t900000000\n5\t1\t5\t800000000\n");
      var data = MovieLens100k.load(dir);
      assertEquals(
          List.of(
              new Item(
                  "1",
                  "Café Society (1995)",
                  List.of("Action", "Comedy"),
                  null,
                  null,
                  true,
                  Map.of("releaseDate", "01-Jan-1995", "imdbUrl", "http://x")),
              new Item(
                  "2",
                  "Mystery (1996)",
                  List.of(),
                  null,
                  null,
                  true,
                  Map.of("imdbUrl", "http://y"))),
          data.items());
      assertEquals(
          List.of(
              new UserEvent("ml-5-1", "5", "1", EventType.RATING, 800_000_000_000L, 5.0, null),
              new UserEvent("ml-5-2", "5", "2", EventType.RATING, 900_000_000_000L, 4.0, null)),
          data.ratings());
      assertEquals(1, data.userCount());
    }

    @Test
    void aMovieWithTheWrongNumberOfGenreFlagsNamesTheFileAndLine() throws IOException {
      threeGenres();
      write("u.item", "1|A|||u|0|1|0\n2|B|||u|0|1\n");
      write("u.data", "");
      IOException e = assertThrows(IOException.class, () -> MovieLens100k.load(dir));
      assertTrue(e.getMessage().contains("u.item line 2"), e.getMessage());
    }

    @Test
    void aRatingForAnUnknownMovieOrOutOfRangeIsRefused() throws IOException {
      threeGenres();
      write("u.item", "1|A|||u|0|1|0\n");
      write("u.data", "1\t7\t3\t900000000\n");
      IOException unknown = assertThrows(IOException.class, () -> MovieLens100k.load(dir));
      assertTrue(unknown.getMessage().contains("u.data line 1: item 7"), unknown.getMessage());
      write("u.data", "1\t1\t3\t900000000\n1\t1\t6\t900000001\n");
      IOException range = assertThrows(IOException.class, () -> MovieLens100k.load(dir));
      assertTrue(range.getMessage().contains("u.data line 2: rating 6"), range.getMessage());
    }

    @Test
    void genreIndexesMustBeComplete() throws IOException {
      write("u.genre", "unknown|0\nAction|2\n");
      IOException e = assertThrows(IOException.class, () -> MovieLens100k.load(dir));
      assertTrue(e.getMessage().contains("u.genre"), e.getMessage());
    }

    @Test
    void shiftingKeepsGapsAndEndsAtTheGivenInstant() {
      var data =
          new MovieLens100k.Data(
              List.of(),
              List.of(
                  new UserEvent("a", "1", "1", EventType.RATING, 1_000, 3.0, null),
                  new UserEvent("b", "1", "2", EventType.RATING, 61_000, 4.0, null)));
      List<UserEvent> shifted = data.shiftedToEndAt(END);
      assertEquals(
          List.of(END.toEpochMilli() - 60_000, END.toEpochMilli()),
          shifted.stream().map(UserEvent::timestamp).toList());
      assertEquals(List.of(), new MovieLens100k.Data(List.of(), List.of()).shiftedToEndAt(END));
    }
  }
}
