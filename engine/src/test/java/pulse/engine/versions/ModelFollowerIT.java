package pulse.engine.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.pubsub.Topic;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.engine.inference.InferencePool;
import pulse.engine.inference.InferenceSettings;
import pulse.infra.PulseConfig;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;
import pulse.model.Device;
import pulse.model.LossKind;
import pulse.model.ModelConfig;
import pulse.model.SasRecModel;
import pulse.model.data.ItemVocabulary;
import pulse.model.delta.Checkpoint;

/**
 * A node that never hears of a stored version (its delta was published before it joined, or the
 * message was lost) still comes to serve it: the follower's reconcile finds it in the real
 * Cassandra version store.
 */
@ExtendWith(RealInfraExtension.class)
class ModelFollowerIT {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start(RealInfra infra) {
    testKit = ActorTestKit.create("model-follower-it", infra.testNodeConfig(ConfigFactory.empty()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static byte[] checkpoint(String version, long seed) {
    SasRecModel m =
        SasRecModel.create(
            new ModelConfig(
                12, 8, 1, 1, 5, 0.0, 0.001, 4, LossKind.BCE, 1, 0.75, seed, 0, 0, 0, Device.CPU),
            1);
    ItemVocabulary items =
        ItemVocabulary.withCapacity(
            IntStream.rangeClosed(1, 8).mapToObj(i -> "i" + i).toList(), 12);
    try {
      return Checkpoint.toBytes(m, items, version);
    } finally {
      m.close();
    }
  }

  private static void store(ModelVersionStore store, long seq, String version) throws Exception {
    VersionMeta meta =
        new VersionMeta(
            seq,
            version,
            null,
            VersionKind.CHECKPOINT,
            Instant.now(),
            VersionStatus.GOOD,
            Map.of(),
            Map.of());
    store.append(meta, checkpoint(version, seq)).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static String swapped(TestProbe<InferencePool.Command> pool, Duration within) {
    InferencePool.Command c = pool.expectMessageClass(InferencePool.Command.class, within);
    if (c instanceof InferencePool.Swap s) {
      return s.model().version(); // a few KB of TensorFlow state, left to the test JVM's end
    }
    throw new AssertionError("expected a swap, got " + c);
  }

  @Test
  void aVersionStoredWithoutAnyMessageReachesThePoolByReconcile() throws Exception {
    String lineage = "follower-it-" + UUID.randomUUID().toString().substring(0, 8);
    ModelVersionStore store = ModelVersionStore.create(testKit.system(), lineage);
    String first = VersionName.learned(lineage, 1).toString();
    store(store, 1, first);

    TestProbe<InferencePool.Command> pool = testKit.createTestProbe();
    ActorRef<Topic.Command<ModelUpdate>> silent =
        testKit.spawn(Topic.create(ModelUpdate.class, "silent-" + lineage));
    InferenceSettings settings =
        InferenceSettings.fromConfig(testKit.system().settings().config(), PulseConfig.home())
            .withModelPoll(Duration.ZERO);
    testKit.spawn(
        ModelFollower.create(pool.ref(), store, silent, settings, Duration.ofMillis(300)));
    assertEquals(first, swapped(pool, Duration.ofSeconds(30)), "the head at start");

    // Stored, never published: only the reconcile can find it.
    String second = VersionName.learned(lineage, 2).toString();
    store(store, 2, second);
    assertEquals(second, swapped(pool, Duration.ofSeconds(30)));
    pool.expectNoMessage(Duration.ofSeconds(2));
  }
}
