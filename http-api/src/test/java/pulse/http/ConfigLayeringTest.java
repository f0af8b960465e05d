package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.engine.common.KafkaTopics;
import pulse.engine.event.EventType;
import pulse.engine.recommend.TrendingSettings;
import pulse.infra.PulseConfig;

/**
 * A node's config as {@code bin/pulse node --config FILE} loads it: the file over every module's
 * reference.conf, resolved once, so defaults built from other keys follow an override of those.
 */
class ConfigLayeringTest {

  private static Config load(Path dir, String... lines) throws Exception {
    Path file = dir.resolve("site.conf");
    String include = PulseConfig.home().resolve("conf/application.conf").toString();
    Files.writeString(file, "include file(\"" + include + "\")\n" + String.join("\n", lines));
    return PulseConfig.load(PulseConfig.home(), file, ConfigFactory.empty());
  }

  @Test
  void theShippedFilesGiveTheDocumentedDefaults(@TempDir Path dir) throws Exception {
    Config c = load(dir);
    assertEquals("127.0.0.1:9092", c.getString("pulse.kafka.bootstrap-servers"));
    assertEquals(
        "127.0.0.1:9092", c.getString("akka.kafka.consumer.kafka-clients.bootstrap.servers"));
    assertEquals("user-events", c.getString("pulse.ingest.kafka.topic"));
    assertEquals("user-events-dlq", c.getString("pulse.ingest.kafka.dlq-topic"));
    assertEquals("pulse-feedback", c.getString("pulse.learning.topic"));
    assertEquals(32, KafkaTopics.partitions(c, "user-events"));
    assertEquals(8, KafkaTopics.partitions(c, "pulse-feedback"));
    assertEquals(8080, c.getInt("pulse.http.port"));
    assertEquals("pulse", c.getString("akka.persistence.cassandra.journal.keyspace"));
  }

  @Test
  void aTopicRenamedOnceIsRenamedForEveryReaderAndTheTopicList(@TempDir Path dir) throws Exception {
    Config c =
        load(
            dir,
            "pulse.kafka.topic.user-events = \"shop-events\"",
            "pulse.kafka.topic.feedback = \"shop-feedback\"",
            "pulse.kafka.port = 19092");
    assertEquals("shop-events", c.getString("pulse.ingest.kafka.topic"));
    assertEquals("shop-feedback", c.getString("pulse.learning.topic"));
    assertEquals(
        List.of("shop-events", "shop-feedback", "user-events-dlq"),
        c.getConfigList("pulse.kafka.topics").stream().map(t -> t.getString("name")).toList());
    assertEquals(32, KafkaTopics.partitions(c, "shop-events"));
    assertEquals(
        "127.0.0.1:19092", c.getString("akka.kafka.producer.kafka-clients.bootstrap.servers"));
  }

  @Test
  void theSharedWeightTableReachesTrendingAndAffinities(@TempDir Path dir) throws Exception {
    Config c = load(dir, "pulse.event-weights.purchase = 8");
    assertEquals(8.0, TrendingSettings.fromConfig(c).weight(EventType.PURCHASE));
    assertEquals(8.0, c.getDouble("pulse.user.affinity-weights.purchase"));
  }
}
