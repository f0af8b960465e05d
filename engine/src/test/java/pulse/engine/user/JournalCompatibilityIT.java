package pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.serialization.SerializationExtension;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pulse.engine.event.EventContext;
import pulse.engine.event.EventType;
import pulse.engine.event.Interaction;
import pulse.engine.event.RecordedEvent;
import pulse.engine.event.UserEvent;
import pulse.engine.storage.CassandraStore;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/**
 * Users persisted by an older Pulse still recover. Jackson CBOR names the class of every journal
 * entry and snapshot in its row (ser_manifest), so moving or renaming a persisted class makes old
 * users unreadable unless a migration maps the old name. The fixture (resources journal-e5ea4d4/,
 * see the header of rows.cql) holds the rows that e5ea4d4 wrote, before the types of events moved
 * to pulse.engine.event, and what its actors answered.
 *
 * <p>Each test loads the rows under its own persistence ids (User|u-snap becomes
 * User|{prefix}u-snap), so tests that write to a user do not change what another test reads.
 */
@ExtendWith(RealInfraExtension.class)
class JournalCompatibilityIT {
  private static final String FIXTURE = "/journal-e5ea4d4/";
  private static final List<String> USERS = List.of("u-snap", "u-journal", "u-forgot", "u-pending");

  /** Class names e5ea4d4 wrote; a fixture holding fewer would quietly test less. */
  private static final Set<String> OLD_MANIFESTS =
      Set.of(
          "pulse.engine.user.UserEntity$EventsRecorded",
          "pulse.engine.user.UserEntity$Forgotten",
          "pulse.engine.user.UserEntity$ForgetCompleted",
          "pulse.engine.user.UserEntity$UserSnapshot");

  private static final Duration ASK = Duration.ofSeconds(15);
  private static final Duration AWAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ActorTestKit testKit;
  private static CassandraSession session;
  private static String keyspace;
  private static JsonNode expected;
  private static long atMillis;
  private static List<String> rows;
  private static int spawned;

  /**
   * The node's settings from conf/, which the fixture's users were built with at e5ea4d4
   * (snapshot-every aside).
   */
  private static UserEntity.Settings settings;

  /** The entity clock of the fixture: Forget stamps its events with it. */
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T08:35:00Z"), ZoneOffset.UTC);

  @BeforeAll
  static void start(RealInfra infra) throws IOException {
    testKit = ActorTestKit.create("journal-compat-it", infra.testNodeConfig(ConfigFactory.empty()));
    session = CassandraStore.session(testKit.system());
    keyspace = CassandraStore.keyspace(testKit.system());
    expected = JSON.readTree(resource("expected.json"));
    atMillis = expected.get("atMillis").longValue();
    rows =
        resource("rows.cql")
            .lines()
            .filter(line -> !line.isBlank() && !line.startsWith("--"))
            .map(line -> line.strip().replaceAll(";$", ""))
            .toList();
    settings = UserSettings.from(testKit.system().settings().config());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyOldRowDeserializesWithTheCurrentClasses() {
    load("rows-", true);
    var serialization = SerializationExtension.get(testKit.system());
    Set<String> manifests = new TreeSet<>();
    List<String> failures = new ArrayList<>();
    for (String user : USERS) {
      String pid = "User|rows-" + user;
      List<Row> all =
          new ArrayList<>(
              join(
                  session.selectAll(
                      "SELECT sequence_nr, ser_id, ser_manifest, event AS blob FROM "
                          + keyspace
                          + ".messages WHERE persistence_id = ? AND partition_nr = 0",
                      pid)));
      all.addAll(
          join(
              session.selectAll(
                  "SELECT sequence_nr, ser_id, ser_manifest, snapshot_data AS blob FROM "
                      + keyspace
                      + ".snapshots WHERE persistence_id = ?",
                  pid)));
      for (Row row : all) {
        String manifest = row.getString("ser_manifest");
        manifests.add(manifest);
        var read =
            serialization.deserialize(
                bytes(row.getByteBuffer("blob")), row.getInt("ser_id"), manifest);
        if (read.isFailure()) {
          failures.add(
              pid
                  + " seq "
                  + row.getLong("sequence_nr")
                  + " ("
                  + manifest
                  + "): "
                  + read.failed().get());
        }
      }
    }
    assertEquals(List.of(), failures, "rows written by e5ea4d4 that the current code cannot read");
    assertEquals(new TreeSet<>(OLD_MANIFESTS), manifests, "the fixture's manifests");
  }

  /**
   * u-snap recovers from its snapshot and the two entries after it; the others from their journal
   * alone.
   */
  @ParameterizedTest
  @ValueSource(strings = {"u-snap", "u-journal", "u-forgot"})
  void aUserRecoversTheFeaturesTheOldCodeComputed(String user) {
    load("recover-" + user + "-", true);
    var ref = spawn("recover-" + user + "-" + user, user);
    assertEquals(
        expected.at("/users/" + user + "/features"),
        json(features(ref).orElseThrow()),
        user + "'s features");
    assertEquals(
        expected.at("/users/" + user + "/recent"),
        json(recent(ref)),
        user + "'s recent interactions");
  }

  @Test
  void withoutItsSnapshotsTheOldJournalGivesTheSameFeatures() {
    // Every entry of u-snap replayed, not only those after the snapshot.
    load("nosnap-", false);
    var ref = spawn("nosnap-u-snap", "u-snap");
    assertEquals(expected.at("/users/u-snap/features"), json(features(ref).orElseThrow()));
    assertEquals(expected.at("/users/u-snap/recent"), json(recent(ref)));
  }

  @Test
  void aForgetTheOldCodeLeftPendingIsFinished() {
    load("pending-", true);
    String id = "pending-u-pending";
    var ref = spawn(id, "u-pending");
    // The old code answered an error ("no events for user ..."); the answer is now an empty
    // Features.
    Optional<FeatureView> reply = features(ref);
    assertTrue(reply.isEmpty(), () -> "a forgotten user has no features, got " + reply);
    assertEquals(expected.at("/users/u-pending/recent"), json(recent(ref)));
    // The recovery saw the Forgotten with no ForgetCompleted after it, so it deletes the user's
    // rows and records
    // the completion.
    testKit
        .createTestProbe()
        .awaitAssert(
            AWAIT,
            () -> {
              List<Row> left =
                  join(
                      session.selectAll(
                          "SELECT sequence_nr, ser_manifest FROM "
                              + keyspace
                              + ".messages WHERE persistence_id = ? AND partition_nr = 0",
                          "User|" + id));
              assertEquals(
                  List.of("4 " + UserEntity.ForgetCompleted.class.getName()),
                  left.stream()
                      .map(r -> r.getLong("sequence_nr") + " " + r.getString("ser_manifest"))
                      .toList());
              return null;
            });
    assertEquals(
        3L,
        join(session.selectOne(
                "SELECT deleted_to FROM " + keyspace + ".metadata WHERE persistence_id = ?",
                "User|" + id))
            .orElseThrow()
            .getLong("deleted_to"));
  }

  @Test
  void newEventsGoOnTopOfTheOldJournalAndSurviveARestart() {
    load("more-", true);
    String id = "more-u-snap";
    var ref = spawn(id, "u-snap");
    long at = atMillis - 60_000;
    List<RecordedEvent> events =
        List.of(
            // u-snap-e16 is in the old journal (entry 8, after the snapshot): still known as a
            // duplicate.
            incoming(
                new UserEvent("u-snap-e16", "u-snap", "i-106", EventType.CLICK, at, null, null),
                "music"),
            incoming(
                new UserEvent(
                    "u-snap-new-1",
                    "u-snap",
                    "i-108",
                    EventType.CLICK,
                    at,
                    null,
                    new EventContext("desktop", "home", null, null)),
                "music"));
    assertEquals(
        new UserEntity.Recorded(1, 1),
        JournalCompatibilityIT.<UserEntity.Recorded>ask(
                ref, replyTo -> new UserEntity.Record(events, replyTo))
            .getValue());

    FeatureView after = features(ref).orElseThrow();
    JsonNode before = expected.at("/users/u-snap/features");
    assertEquals(before.get("totalEvents").longValue() + 1, after.totalEvents());
    assertEquals(before.at("/totals/click").longValue() + 1, after.totals().get(EventType.CLICK));
    List<Interaction> recent = recent(ref);
    assertEquals("i-108", recent.get(recent.size() - 1).itemId());

    // Entry 9 is a snapshot point (every 3): the restart recovers from a snapshot the current code
    // wrote.
    testKit
        .createTestProbe()
        .awaitAssert(
            AWAIT,
            () -> {
              assertTrue(
                  join(session.selectOne(
                          "SELECT sequence_nr FROM "
                              + keyspace
                              + ".snapshots WHERE persistence_id = ? AND sequence_nr = 9",
                          "User|" + id))
                      .isPresent());
              return null;
            });
    testKit.stop(ref, ASK);
    var again = spawn(id, "u-snap");
    assertEquals(json(after), json(features(again).orElseThrow()));
    assertEquals(json(recent), json(recent(again)));
  }

  // --- helpers
  // -----------------------------------------------------------------------------------------------

  /**
   * Inserts the fixture's rows (snapshots too, or not) with every persistence id User|x renamed
   * User|{prefix}x.
   */
  private static void load(String prefix, boolean withSnapshots) {
    for (String row : rows) {
      if (!withSnapshots && row.startsWith("INSERT INTO {{keyspace}}.snapshots ")) {
        continue;
      }
      join(
          session.executeWrite(
              row.replace("{{keyspace}}", keyspace).replace("'User|", "'User|" + prefix)));
    }
  }

  /**
   * A user as the fixture's writer ran it: u-snap snapshots every 3 entries, the others at the
   * configured 100.
   */
  private static ActorRef<UserEntity.Command> spawn(String id, String fixtureUser) {
    var userSettings =
        fixtureUser.equals("u-snap")
            ? new UserEntity.Settings(settings.features(), 3, 2)
            : settings;
    // Named after the user, so that a failure names it too.
    return testKit.spawn(UserEntity.create(id, userSettings, CLOCK), id + "-" + (++spawned));
  }

  private static Optional<FeatureView> features(ActorRef<UserEntity.Command> user) {
    return JournalCompatibilityIT.<UserEntity.Features>ask(
            user, replyTo -> new UserEntity.GetFeatures(atMillis, replyTo))
        .getValue()
        .view();
  }

  private static List<Interaction> recent(ActorRef<UserEntity.Command> user) {
    return JournalCompatibilityIT.<UserEntity.Recent>ask(user, UserEntity.GetRecent::new)
        .getValue()
        .interactions();
  }

  private static <T> StatusReply<T> ask(
      ActorRef<UserEntity.Command> user,
      Function<ActorRef<StatusReply<T>>, UserEntity.Command> command) {
    TestProbe<StatusReply<T>> probe = testKit.createTestProbe();
    user.tell(command.apply(probe.ref()));
    try {
      return probe.receiveMessage(ASK);
    } catch (AssertionError e) {
      // A user whose recovery fails stops without a word: say so rather than just "timeout".
      return fail(
          "no answer from "
              + user
              + " within "
              + ASK.toSeconds()
              + " s: did its recovery fail? (log above)",
          e);
    }
  }

  private static RecordedEvent incoming(UserEvent event, String... categories) {
    return new RecordedEvent(event, List.of(categories));
  }

  /**
   * Through text, so that numbers compare as the fixture's parsed ones do (an int 3 is not a long 3
   * as a node).
   */
  private static JsonNode json(Object value) {
    try {
      return JSON.readTree(JSON.writeValueAsString(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = JournalCompatibilityIT.class.getResourceAsStream(FIXTURE + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + FIXTURE + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
