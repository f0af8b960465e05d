package pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pulse.engine.event.EventContext;
import pulse.engine.event.EventType;
import pulse.engine.event.Interaction;
import pulse.engine.event.OutboxTags;
import pulse.engine.event.RecordedEvent;
import pulse.engine.event.UserEvent;
import pulse.engine.metrics.PulseMetrics;
import pulse.infra.PulseConfig;

/**
 * The entity's wiring on Akka's in-memory journal: persist-then-reply, duplicates, recovery from
 * events and from snapshots. Commands, events and snapshots go through the real Jackson CBOR
 * serializer.
 */
class UserEntityTest {
  private static final long NOW = Instant.parse("2026-11-23T12:00:00Z").toEpochMilli();
  private static final ActorTestKit TESTKIT =
      ActorTestKit.create(
          ConfigFactory.parseString("akka.actor.serialize-messages = on")
              .withFallback(EventSourcedBehaviorTestKit.config())
              // The node's own serialization bindings (CborSerializable -> Jackson CBOR).
              .withFallback(
                  ConfigFactory.parseFile(
                      PulseConfig.home().resolve("conf/serialization.conf").toFile()))
              .withFallback(ConfigFactory.load()));

  private EventSourcedBehaviorTestKit<UserEntity.Command, UserEntity.Event, UserEntity.State> kit;

  @BeforeEach
  void setUp() {
    var settings = new UserEntity.Settings(FeatureSettings.defaults(), 3, 2);
    kit =
        EventSourcedBehaviorTestKit.create(
            TESTKIT.system(),
            UserEntity.create(
                "u1", settings, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)),
            EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
  }

  @AfterAll
  static void tearDown() {
    TESTKIT.shutdownTestKit();
  }

  private static RecordedEvent event(String id, String item, EventType type, long at) {
    return new RecordedEvent(
        new UserEvent(id, "u1", item, type, at, null, new EventContext("mobile", null, null, null)),
        List.of("games"));
  }

  @Test
  void recordsPersistsThenRepliesAndDropsDuplicates() {
    var first =
        kit.<StatusReply<UserEntity.Recorded>>runCommand(
            r ->
                new UserEntity.Record(
                    List.of(
                        event("e1", "i1", EventType.VIEW, NOW - 1000),
                        event("e2", "i2", EventType.CLICK, NOW - 500),
                        event("e2", "i2", EventType.CLICK, NOW - 500)),
                    r));
    assertEquals(new UserEntity.Recorded(2, 1), first.reply().getValue());
    assertEquals(1, first.events().size(), "one journal entry per command");
    var recorded = (UserEntity.EventsRecorded) first.events().get(0);
    assertEquals(
        List.of("e1", "e2"), recorded.events().stream().map(in -> in.event().eventId()).toList());

    var again =
        kit.<StatusReply<UserEntity.Recorded>>runCommand(
            r -> new UserEntity.Record(List.of(event("e1", "i1", EventType.VIEW, NOW - 1000)), r));
    assertEquals(new UserEntity.Recorded(0, 1), again.reply().getValue());
    assertTrue(again.events().isEmpty(), "a duplicate persists nothing");
  }

  @Test
  void featuresSurviveARestartFromEventsAndSnapshots() {
    for (int i = 0;
        i < 7;
        i++) { // snapshot every 3: recovery uses a snapshot plus the events after it
      int n = i;
      kit.<StatusReply<UserEntity.Recorded>>runCommand(
          r ->
              new UserEntity.Record(
                  List.of(
                      event(
                          "e" + n,
                          "i" + n,
                          n % 2 == 0 ? EventType.VIEW : EventType.CLICK,
                          NOW - 60_000 + n)),
                  r));
    }
    FeatureView before =
        kit.<StatusReply<UserEntity.Features>>runCommand(r -> new UserEntity.GetFeatures(null, r))
            .reply()
            .getValue()
            .view()
            .orElseThrow();
    assertEquals(7, before.totalEvents());
    kit.restart();
    FeatureView after =
        kit.<StatusReply<UserEntity.Features>>runCommand(r -> new UserEntity.GetFeatures(null, r))
            .reply()
            .getValue()
            .view()
            .orElseThrow();
    assertEquals(before, after);
    var recent =
        kit.<StatusReply<UserEntity.Recent>>runCommand(UserEntity.GetRecent::new)
            .reply()
            .getValue();
    assertEquals(
        List.of("i0", "i1", "i2", "i3", "i4", "i5", "i6"),
        recent.interactions().stream().map(Interaction::itemId).toList());
  }

  @Test
  void aUserWithoutEventsHasNoFeatures() {
    var reply =
        kit.<StatusReply<UserEntity.Features>>runCommand(r -> new UserEntity.GetFeatures(null, r))
            .reply();
    assertTrue(reply.isSuccess());
    assertTrue(reply.getValue().view().isEmpty());
  }

  @Test
  void aFailedJournalWriteRestartsTheUserAfterABackoffInsteadOfStoppingIt() {
    var settings =
        new UserEntity.Settings(
            FeatureSettings.defaults(),
            3,
            2,
            new UserEntity.PersistFailureBackoff(Duration.ofMillis(100), Duration.ofMillis(200), 0),
            OutboxTags.NONE);
    ActorRef<UserEntity.Command> user =
        TESTKIT.spawn(
            UserEntity.create(
                "u-fail", settings, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)));
    TestProbe<StatusReply<UserEntity.Recorded>> replies = TESTKIT.createTestProbe();
    PersistenceTestKit journal = PersistenceTestKit.create(TESTKIT.system());
    String failuresBefore = journalFailures();
    journal.failNextPersisted("User|u-fail");

    // The failed write gets no reply (the client's ask times out: 503, and it sends the event
    // again).
    user.tell(new UserEntity.Record(List.of(eventOf("u-fail", "f1")), replies.ref()));
    // Stopped, the actor would drop this into dead letters; restarted after the backoff, it
    // persists it (and the first event, sent again, as new: the failed write left nothing behind).
    user.tell(
        new UserEntity.Record(
            List.of(eventOf("u-fail", "f1"), eventOf("u-fail", "f2")), replies.ref()));
    var answer = replies.expectMessageClass(StatusReply.class, Duration.ofSeconds(5));
    assertEquals(new UserEntity.Recorded(2, 0), answer.getValue());
    assertEquals(
        Double.parseDouble(failuresBefore) + 1,
        Double.parseDouble(journalFailures()),
        "the failure is counted in /metrics");
  }

  /** pulse_user_journal_failures_total as the node's /metrics shows it. */
  private static String journalFailures() {
    return PulseMetrics.get(TESTKIT.system())
        .registry()
        .scrape()
        .lines()
        .filter(l -> l.startsWith("pulse_user_journal_failures_total "))
        .map(l -> l.substring(l.lastIndexOf(' ') + 1))
        .findFirst()
        .orElseThrow();
  }

  private static RecordedEvent eventOf(String userId, String id) {
    return new RecordedEvent(
        new UserEvent(
            id,
            userId,
            "i1",
            EventType.CLICK,
            NOW - 1000,
            null,
            new EventContext("mobile", null, null, null)),
        List.of("games"));
  }
}
