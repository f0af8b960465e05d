package pulse.engine.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.engine.catalog.CatalogIndex;
import pulse.engine.event.EventType;
import pulse.engine.event.Interaction;
import pulse.model.Device;
import pulse.model.RecommendRequest;
import pulse.model.Recommendations;
import pulse.model.SequenceInput;
import pulse.model.export.ModelDirectory;

/**
 * The pool with real (tiny, random-weight) TensorFlow models: answers match a direct model call,
 * batches form while workers are busy, deadlines and the queue bound hold, a failing model fails
 * only its batch, and a swap between batches mixes nothing.
 */
class InferencePoolTest {
  private static final ActorTestKit TESTKIT = ActorTestKit.create(ConfigFactory.load());

  @AfterAll
  static void tearDown() {
    TESTKIT.shutdownTestKit();
  }

  private static InferenceSettings settings(
      Path modelDir, int workers, int maxBatch, int capacity) {
    return new InferenceSettings(
        workers,
        new BatchingPolicy.Settings(maxBatch, Duration.ZERO, capacity),
        Duration.ofSeconds(5),
        modelDir,
        Device.CPU,
        Duration.ZERO,
        1,
        Duration.ofSeconds(1));
  }

  private static List<Interaction> history(int... items) {
    List<Interaction> out = new ArrayList<>();
    long t = 1_700_000_000_000L;
    for (int i : items) {
      out.add(new Interaction(TestModels.itemId(i), EventType.CLICK, t += 60_000, List.of()));
    }
    return out;
  }

  private static InferencePool.Recommend ask(
      String user,
      int k,
      List<Interaction> history,
      long deadline,
      ActorRef<RecommendOutcome> replyTo) {
    return new InferencePool.Recommend(
        new RecommendQuery(user, k, true, null, false), history, deadline, replyTo);
  }

  private static long in(Duration d) {
    return System.currentTimeMillis() + d.toMillis();
  }

  private ActorRef<InferencePool.Command> poolWithModel(
      InferenceSettings s, CatalogIndex catalog, InferencePool.Observer observer) {
    ActorRef<InferencePool.Command> pool =
        TESTKIT.spawn(InferencePool.create(s, catalog, observer));
    TestProbe<InferencePool.Status> status = TESTKIT.createTestProbe();
    status.awaitAssert(
        Duration.ofSeconds(30),
        () -> {
          pool.tell(new InferencePool.GetStatus(status.ref()));
          assertTrue(status.receiveMessage().version() != null, "model loaded");
          return null;
        });
    return pool;
  }

  @Test
  void answersAsTheModelDoesExcludingSeenAndUnavailableItems(@TempDir Path root) throws Exception {
    Path dir = TestModels.export(root.resolve("v1"), 7);
    CatalogIndex catalog = new CatalogIndex();
    catalog.apply(List.of(new CatalogIndex.Entry(TestModels.itemId(5), false, List.of())));
    ActorRef<InferencePool.Command> pool =
        poolWithModel(settings(root, 1, 8, 100), catalog, InferencePool.Observer.NONE);
    TestProbe<RecommendOutcome> probe = TESTKIT.createTestProbe();
    pool.tell(ask("u1", 10, history(1, 2, 3), in(Duration.ofSeconds(5)), probe.ref()));
    RecommendOutcome.Ranked ranked =
        assertInstanceOf(RecommendOutcome.Ranked.class, probe.receiveMessage());
    assertEquals(10, ranked.items().size());

    try (var direct = ModelDirectory.load(dir)) {
      Recommendations expected =
          direct
              .model()
              .recommend(
                  List.of(
                      new RecommendRequest(
                          SequenceInput.of(1, 2, 3), new int[] {1, 2, 3, 5}, null)),
                  10)
              .get(0);
      for (int i = 0; i < 10; i++) {
        assertEquals(TestModels.itemId(expected.items()[i]), ranked.items().get(i).itemId());
        assertEquals(expected.scores()[i], ranked.items().get(i).score(), 1e-4);
      }
    }
    Set<String> returned = new HashSet<>();
    ranked.items().forEach(i -> returned.add(i.itemId()));
    assertFalse(
        returned.removeAll(TestModels.ids(1, 2, 3, 5)), "seen and unavailable items excluded");
  }

  @Test
  void explainCitesItemsFromTheUsersOwnHistory(@TempDir Path root) throws Exception {
    TestModels.export(root.resolve("v1"), 7);
    ActorRef<InferencePool.Command> pool =
        poolWithModel(settings(root, 1, 8, 100), new CatalogIndex(), InferencePool.Observer.NONE);
    TestProbe<RecommendOutcome> probe = TESTKIT.createTestProbe();
    pool.tell(
        new InferencePool.Recommend(
            new RecommendQuery("u1", 4, true, null, true),
            history(6, 7, 8),
            in(Duration.ofSeconds(5)),
            probe.ref()));
    pool.tell(ask("u2", 4, history(6, 7, 8), in(Duration.ofSeconds(5)), probe.ref()));
    for (int n = 0; n < 2; n++) {
      RecommendOutcome.Ranked ranked =
          assertInstanceOf(RecommendOutcome.Ranked.class, probe.receiveMessage());
      for (RecommendOutcome.ScoredItem item : ranked.items()) {
        if (item.because() == null) {
          continue; // the request that did not ask
        }
        assertFalse(item.because().isEmpty(), "a history of three items has something to cite");
        for (RecommendOutcome.Reason r : item.because()) {
          assertTrue(
              TestModels.ids(6, 7, 8).contains(r.itemId()), r.itemId() + " is not in the history");
          assertTrue(r.weight() > 0 && r.weight() <= 1.0001, "weight " + r.weight());
        }
      }
    }
  }

  @Test
  void aPinnedVersionNotHeldYetIsAnsweredByTheCurrentModelUnderItsOwnVersion(
      @TempDir Path root, @TempDir Path elsewhere) throws Exception {
    TestModels.export(root.resolve("v1"), 7);
    ConcurrentLinkedQueue<String> slices = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> pinnedBytes = new ConcurrentLinkedQueue<>();
    InferencePool.Observer observer =
        new InferencePool.Observer() {
          @Override
          public void sliceDispatched(boolean pinned, int size) {
            slices.add((pinned ? "pinned:" : "current:") + size);
          }

          @Override
          public void modelsHeld(long currentBytes, long pinned) {
            pinnedBytes.add(pinned);
          }
        };
    ActorRef<InferencePool.Command> pool =
        poolWithModel(settings(root, 1, 8, 100), new CatalogIndex(), observer);
    TestProbe<InferencePool.Status> status = TESTKIT.createTestProbe();
    pool.tell(new InferencePool.GetStatus(status.ref()));
    String current = status.receiveMessage().version();
    Path canaryDir = TestModels.export(elsewhere.resolve("canary"), 11);
    ServingModel canary = ServingModel.of(canaryDir, ModelDirectory.load(canaryDir));
    assertNotEquals(current, canary.version());
    RecommendQuery askingCanary =
        new RecommendQuery("u1", 5, true, null, false).withModelVersion(canary.version());
    TestProbe<RecommendOutcome> probe = TESTKIT.createTestProbe();

    // Not held yet: a model answer all the same, and the version says which model gave it.
    pool.tell(
        new InferencePool.Recommend(
            askingCanary, history(1, 2), in(Duration.ofSeconds(5)), probe.ref()));
    assertEquals(
        current,
        assertInstanceOf(RecommendOutcome.Ranked.class, probe.receiveMessage()).modelVersion());

    pool.tell(new InferencePool.Pin(canary));
    pool.tell(
        new InferencePool.Recommend(
            askingCanary, history(1, 2), in(Duration.ofSeconds(5)), probe.ref()));
    assertEquals(
        canary.version(),
        assertInstanceOf(RecommendOutcome.Ranked.class, probe.receiveMessage()).modelVersion());
    assertEquals(List.of("current:1", "pinned:1"), List.copyOf(slices));
    assertEquals(canary.variableBytes(), pinnedBytes.stream().reduce((a, b) -> b).orElseThrow());
    assertTrue(canary.variableBytes() > 0);
  }

  @Test
  void restrictsToTheAskedCategory(@TempDir Path root) throws Exception {
    TestModels.export(root.resolve("v1"), 7);
    CatalogIndex catalog = new CatalogIndex();
    List<CatalogIndex.Entry> shoes = new ArrayList<>();
    for (int i : new int[] {11, 12, 13}) {
      shoes.add(new CatalogIndex.Entry(TestModels.itemId(i), true, List.of("shoes")));
    }
    catalog.apply(shoes);
    ActorRef<InferencePool.Command> pool =
        poolWithModel(settings(root, 1, 8, 100), catalog, InferencePool.Observer.NONE);
    TestProbe<RecommendOutcome> probe = TESTKIT.createTestProbe();
    pool.tell(
        new InferencePool.Recommend(
            new RecommendQuery("u1", 10, true, "shoes", false),
            history(1, 12),
            in(Duration.ofSeconds(5)),
            probe.ref()));
    RecommendOutcome.Ranked ranked =
        assertInstanceOf(RecommendOutcome.Ranked.class, probe.receiveMessage());
    assertEquals(
        TestModels.ids(11, 13).stream().sorted().toList(),
        ranked.items().stream().map(RecommendOutcome.ScoredItem::itemId).sorted().toList());
  }

  @Test
  void batchesWhileTheWorkerIsBusy(@TempDir Path root) throws Exception {
    TestModels.export(root.resolve("v1"), 7);
    ConcurrentLinkedQueue<Integer> batches = new ConcurrentLinkedQueue<>();
    InferencePool.Observer observer =
        new InferencePool.Observer() {
          @Override
          public void batchDispatched(int size) {
            batches.add(size);
          }
        };
    ActorRef<InferencePool.Command> pool =
        poolWithModel(settings(root, 1, 16, 1000), new CatalogIndex(), observer);
    TestProbe<RecommendOutcome> probe = TESTKIT.createTestProbe();
    for (int i = 0; i < 200; i++) {
      pool.tell(ask("u" + i, 5, history(1 + i % 30, 2), in(Duration.ofSeconds(20)), probe.ref()));
    }
    for (int i = 0; i < 200; i++) {
      assertInstanceOf(RecommendOutcome.Ranked.class, probe.receiveMessage(Duration.ofSeconds(20)));
    }
    assertEquals(200, batches.stream().mapToInt(Integer::intValue).sum());
    assertTrue(batches.stream().allMatch(b -> b <= 16), "max batch size honoured: " + batches);
    assertTrue(
        batches.size() < 200,
        "requests that queued behind a busy worker left together: " + batches.size() + " batches");
  }

  @Test
  void expiredRequestsTimeOutAndAFullQueueRefusesAtOnce(@TempDir Path root) throws Exception {
    TestModels.export(root.resolve("v1"), 7);
    ActorRef<InferencePool.Command> pool =
        poolWithModel(settings(root, 1, 1, 3), new CatalogIndex(), InferencePool.Observer.NONE);
    TestProbe<RecommendOutcome> late = TESTKIT.createTestProbe();
    pool.tell(ask("late", 5, history(1), System.currentTimeMillis() - 1, late.ref()));
    RecommendOutcome.Unserved u =
        assertInstanceOf(RecommendOutcome.Unserved.class, late.receiveMessage());
    assertEquals(RecommendOutcome.Why.TIMEOUT, u.why());

    TestProbe<RecommendOutcome> flood = TESTKIT.createTestProbe();
    for (int i = 0; i < 50; i++) {
      pool.tell(ask("f" + i, 5, history(1, 2), in(Duration.ofSeconds(20)), flood.ref()));
    }
    int ranked = 0;
    int rejected = 0;
    for (int i = 0; i < 50; i++) {
      RecommendOutcome o = flood.receiveMessage(Duration.ofSeconds(20));
      if (o instanceof RecommendOutcome.Ranked) {
        ranked++;
      } else if (o instanceof RecommendOutcome.Unserved x
          && x.why() == RecommendOutcome.Why.REJECTED) {
        rejected++;
      }
    }
    assertEquals(50, ranked + rejected, "every request answered: ranked or refused, nothing else");
    assertTrue(rejected > 0 && ranked >= 4, "ranked " + ranked + ", rejected " + rejected);
  }

  @Test
  void aFailingModelFailsItsBatchNotThePoolAndSwapsMixNothing(@TempDir Path root) throws Exception {
    TestModels.export(root.resolve("v1"), 7);
    ActorRef<InferencePool.Command> pool =
        poolWithModel(settings(root, 2, 8, 1000), new CatalogIndex(), InferencePool.Observer.NONE);
    TestProbe<InferencePool.Status> status = TESTKIT.createTestProbe();
    pool.tell(new InferencePool.GetStatus(status.ref()));
    String v1 = status.receiveMessage().version();

    // A closed model throws on every call: its batch fails, the pool lives on.
    Path brokenDir = TestModels.export(root.resolve("broken"), 8);
    ServingModel broken = ModelRepository.load(brokenDir, 1, Device.CPU);
    broken.model().close();
    TestProbe<StatusReply<String>> swapped = TESTKIT.createTestProbe();
    pool.tell(new InferencePool.Swap(broken, swapped.ref()));
    assertEquals(v1, swapped.receiveMessage().getValue());
    TestProbe<RecommendOutcome> probe = TESTKIT.createTestProbe();
    pool.tell(ask("u", 5, history(1), in(Duration.ofSeconds(5)), probe.ref()));
    RecommendOutcome.Unserved failed =
        assertInstanceOf(RecommendOutcome.Unserved.class, probe.receiveMessage());
    assertEquals(RecommendOutcome.Why.MODEL_ERROR, failed.why());

    // Swap to a good version while requests stream in: every answer is whole and from one version.
    Thread.sleep(5); // versions are millisecond timestamps
    Path v2Dir = TestModels.export(root.resolve("v2"), 9);
    ServingModel v2 = ModelRepository.load(v2Dir, 1, Device.CPU);
    ServingModel v1Again = ModelRepository.load(root.resolve("v1"), 1, Device.CPU);
    pool.tell(new InferencePool.Swap(v1Again, swapped.ref()));
    swapped.receiveMessage();
    for (int i = 0; i < 300; i++) {
      pool.tell(ask("s" + i, 5, history(1 + i % 30, 3), in(Duration.ofSeconds(30)), probe.ref()));
      if (i == 150) {
        pool.tell(new InferencePool.Swap(v2, swapped.ref()));
      }
    }
    Set<String> versions = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      RecommendOutcome.Ranked r =
          assertInstanceOf(
              RecommendOutcome.Ranked.class, probe.receiveMessage(Duration.ofSeconds(30)));
      assertEquals(5, r.items().size());
      versions.add(r.modelVersion());
    }
    assertEquals(Set.of(v1, v2.version()), versions);
    assertNotEquals(v1, v2.version());
    assertEquals(v1, swapped.receiveMessage().getValue());
    swapped.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          assertTrue(v1Again.isClosed(), "the replaced version is closed after its last batch");
          return null;
        });
  }

  @Test
  void withoutAModelEveryRequestIsAnsweredNoModel(@TempDir Path root) throws Exception {
    Files.createDirectories(root);
    ActorRef<InferencePool.Command> pool =
        TESTKIT.spawn(
            InferencePool.create(
                settings(root, 1, 8, 10), new CatalogIndex(), InferencePool.Observer.NONE));
    TestProbe<RecommendOutcome> probe = TESTKIT.createTestProbe();
    pool.tell(ask("u", 5, history(1), in(Duration.ofSeconds(5)), probe.ref()));
    assertEquals(
        RecommendOutcome.Why.NO_MODEL,
        assertInstanceOf(RecommendOutcome.Unserved.class, probe.receiveMessage()).why());
  }
}
