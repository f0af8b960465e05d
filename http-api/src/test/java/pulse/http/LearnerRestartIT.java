package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.http.LearningFixture.awaitModel;
import static pulse.http.LearningFixture.awaitSettled;
import static pulse.http.LearningFixture.clicks;
import static pulse.http.LearningFixture.postEvents;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.bench.SyntheticData;
import pulse.bench.WireJson;
import pulse.engine.event.Item;
import pulse.engine.event.UserEvent;
import pulse.engine.versions.ModelVersionStore;
import pulse.engine.versions.VersionRecord;
import pulse.engine.versions.VersionStatus;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/**
 * The learner stops with its node and a new node's learner resumes from the offsets stored with the
 * last version: every example is learned exactly once across the restart (the examples counted in
 * the stored versions add up to the examples the events make), including events that arrived over
 * Kafka while no node ran. And the users who were there before the restart are known to the new
 * learner: their next event makes an example, from the history rebuilt from their user entities.
 */
@ExtendWith(RealInfraExtension.class)
class LearnerRestartIT {
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String model = "restart-" + run;

  @Test
  void aRestartedLearnerNeitherLosesNorRepeatsAnExample(RealInfra infra) throws Exception {
    LearningFixture.trainModel(infra);
    Config config =
        infra.testNodeConfig(
            ConfigFactory.parseString(
                String.join(
                    "\n",
                    "pulse.learning.model-name = \"" + model + "\"",
                    "pulse.learning.batch-window = 100ms",
                    "pulse.learning.checkpoint-every = 4",
                    "pulse.recommend.record-impressions = off")));
    List<String> items =
        SyntheticData.catalog(SyntheticData.Spec.demo(Instant.now()).seed(), 500).stream()
            .filter(Item::available)
            .map(Item::itemId)
            .toList();

    PulseNode first = PulseNode.start(config);
    try {
      TestClient client = LearningFixture.readyClient(first);
      awaitModel(client, LearningFixture::learnerAndNodeAgree, "the learner's base");
      List<UserEvent> before = new ArrayList<>();
      for (int u = 0; u < 10; u++) {
        before.addAll(clicks(run, "before-" + run + "-" + u, items.subList(5 * u, 5 * u + 5)));
      }
      postEvents(client, before);
      awaitSettled(client);
    } finally {
      first.awaitStopped(Duration.ofSeconds(60));
    }

    // While no node runs, events arrive over Kafka.
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int u = 0; u < 10; u++) {
        for (UserEvent e :
            clicks(run, "while-down-" + run + "-" + u, items.subList(100 + 5 * u, 105 + 5 * u))) {
          producer
              .send(new ProducerRecord<>("user-events", e.userId(), WireJson.event(e)))
              .get(10, TimeUnit.SECONDS);
        }
      }
    }

    PulseNode second = PulseNode.start(config);
    try {
      TestClient.of(second.httpPort()).awaitReady(Duration.ofSeconds(90));
      ModelVersionStore store = ModelVersionStore.create(second.system(), model);
      TestClient.await(
          "80 examples learned in the stored good versions",
          Duration.ofSeconds(120),
          Duration.ofMillis(500),
          () -> learned(store),
          n -> n >= 80);
      Thread.sleep(3000); // anything learned twice would show up now
      // 20 users x 5 clicks on distinct items = 4 next-item examples each.
      assertEquals(80, learned(store), "every example learned exactly once across the restart");

      // The users from before the restart click once more: the new learner never saw their
      // earlier clicks, so each of these is an example only with the history rebuilt from the
      // user entity.
      TestClient client = LearningFixture.readyClient(second);
      List<UserEvent> after = new ArrayList<>();
      for (int u = 0; u < 10; u++) {
        after.addAll(clicks(run, "before-" + run + "-" + u, items.subList(200 + u, 201 + u)));
      }
      postEvents(client, after);
      TestClient.await(
          "90 examples learned: each returning user's click is one",
          Duration.ofSeconds(120),
          Duration.ofMillis(500),
          () -> learned(store),
          n -> n >= 90);
      assertEquals(90, learned(store), "one example per returning user's click");
      JsonNode learner = LearningFixture.model(client).path("learner");
      assertTrue(learner.path("learning").asBoolean(), learner.toString());
      assertNull(learner.path("streamDown").textValue(), learner.toString());
      String metrics = client.get("/metrics").body();
      assertTrue(
          LearningFixture.sum(metrics, "pulse_learning_history_rebuilds_total") >= 10, metrics);
      assertEquals(
          0.0, LearningFixture.sum(metrics, "pulse_learning_history_rebuild_failures_total"));
    } finally {
      second.awaitStopped(Duration.ofSeconds(60));
    }
  }

  /** The examples counted in the stored good versions. */
  private static long learned(ModelVersionStore store) throws Exception {
    long learned = 0;
    for (VersionRecord v : store.history(10_000).toCompletableFuture().get(30, TimeUnit.SECONDS)) {
      if (v.status() == VersionStatus.GOOD) {
        learned += Math.round(v.metrics().getOrDefault("examples", 0.0));
      }
    }
    return learned;
  }
}
