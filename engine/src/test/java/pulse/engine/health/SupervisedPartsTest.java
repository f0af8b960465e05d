package pulse.engine.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SupervisedPartsTest {
  private static final ActorTestKit TESTKIT = ActorTestKit.create();

  @AfterAll
  static void stop() {
    TESTKIT.shutdownTestKit();
  }

  /** Answers its start count; throws on "crash". */
  private static Behavior<Object> part(AtomicInteger starts) {
    return Behaviors.setup(
        ctx -> {
          int start = starts.incrementAndGet();
          return Behaviors.receiveMessage(
              msg -> {
                if ("crash".equals(msg)) {
                  throw new IllegalStateException("boom");
                }
                @SuppressWarnings("unchecked")
                ActorRef<Integer> replyTo = (ActorRef<Integer>) msg;
                replyTo.tell(start);
                return Behaviors.same();
              });
        });
  }

  private static boolean ok(SupervisedParts parts, String name) {
    return parts.checks().stream()
        .filter(c -> c.component().equals(name))
        .findFirst()
        .orElseThrow()
        .ok();
  }

  @Test
  void aFailedPartIsDownUntilItsBackoffRestartHasRunAndThenServesAgain() {
    List<String> restarted = new CopyOnWriteArrayList<>();
    SupervisedParts parts = new SupervisedParts(restarted::add);
    AtomicInteger starts = new AtomicInteger();
    ActorRef<Object> ref =
        TESTKIT.spawn(
            parts.supervise(
                "pool",
                part(starts),
                new SupervisedParts.Backoff(Duration.ofMillis(600), Duration.ofSeconds(1), 0)));
    TestProbe<Integer> probe = TESTKIT.createTestProbe();
    ref.tell(probe.getRef());
    assertEquals(1, probe.receiveMessage());
    assertTrue(ok(parts, "pool"), parts.checks().toString());
    assertTrue(parts.checks().get(0).required(), "a part is required for readiness");

    ref.tell("crash");
    probe.awaitAssert(
        Duration.ofSeconds(2),
        () -> {
          assertFalse(ok(parts, "pool"), "down while the backoff runs");
          return null;
        });
    ref.tell(probe.getRef()); // stashed during the backoff, answered by the restarted part
    assertEquals(2, probe.receiveMessage(Duration.ofSeconds(5)));
    assertTrue(ok(parts, "pool"), parts.checks().toString());
    assertEquals(List.of("pool"), restarted, "the restart was reported (for its metric)");
  }

  @Test
  void aPartIsDownUntilItHasStarted() {
    SupervisedParts parts = new SupervisedParts(part -> {});
    parts.supervise(
        "follower",
        part(new AtomicInteger()),
        new SupervisedParts.Backoff(Duration.ofMillis(500), Duration.ofSeconds(10), 0.2));
    assertFalse(ok(parts, "follower"), "declared but not spawned yet");
  }
}
