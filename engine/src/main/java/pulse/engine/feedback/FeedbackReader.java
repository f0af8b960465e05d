package pulse.engine.feedback;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.kafka.ConsumerSettings;
import akka.kafka.Subscriptions;
import akka.kafka.javadsl.Consumer;
import akka.stream.KillSwitches;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learner's read of the feedback topic: every partition, from the offsets stored with the
 * version the learner stands on (not from consumer-group commits: the offsets must move with the
 * model, in the same Cassandra row), in mini-batches of at most {@code batch-size} records or
 * {@code batch-window}, one at a time (the next batch is read only after the learner answered the
 * last). Unreadable records are skipped with a warning; they never stop learning.
 */
public final class FeedbackReader {
  private static final Logger log = LoggerFactory.getLogger(FeedbackReader.class);

  private FeedbackReader() {}

  public static UniqueKillSwitch run(
      ActorSystem<?> system,
      FeedbackSettings settings,
      Map<Integer, Long> offsets,
      Function<List<FeedRecord>, CompletionStage<Done>> learn) {
    Map<TopicPartition, Long> start = new HashMap<>();
    Map<Integer, Long> ends =
        offsets.size() < settings.partitions() ? endOffsets(system, settings) : Map.of();
    for (int p = 0; p < settings.partitions(); p++) {
      // A partition the stored offsets do not cover (added since): from its end when the learner
      // started.
      start.put(
          new TopicPartition(settings.topic(), p),
          offsets.getOrDefault(p, ends.getOrDefault(p, 0L)));
    }
    return Consumer.plainSource(
            consumerSettings(system, settings), Subscriptions.assignmentWithOffset(start))
        .map(FeedbackReader::parse)
        .filter(r -> r != null)
        .groupedWithin(settings.batchSize(), settings.batchWindow())
        .viaMat(KillSwitches.single(), Keep.right())
        .mapAsync(1, learn::apply)
        .to(Sink.ignore())
        .run(system);
  }

  private static ConsumerSettings<String, byte[]> consumerSettings(
      ActorSystem<?> system, FeedbackSettings s) {
    return ConsumerSettings.create(system, new StringDeserializer(), new ByteArrayDeserializer())
        .withGroupId(s.groupId())
        .withProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
  }

  /** The current end of every partition: where a learner with no stored offsets begins. */
  public static Map<Integer, Long> endOffsets(ActorSystem<?> system, FeedbackSettings s) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (int p = 0; p < s.partitions(); p++) {
      partitions.add(new TopicPartition(s.topic(), p));
    }
    try (org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer =
        consumerSettings(system, s).createKafkaConsumer()) {
      Map<Integer, Long> out = new HashMap<>();
      consumer
          .endOffsets(partitions, Duration.ofSeconds(30))
          .forEach((tp, o) -> out.put(tp.partition(), o));
      return out;
    }
  }

  static FeedRecord parse(ConsumerRecord<String, byte[]> r) {
    try {
      FeedbackWire w = FeedbackWire.parse(r.value());
      FeedbackEvent e =
          new FeedbackEvent(w.userId(), w.eventId(), w.itemId(), w.type(), w.timestamp());
      return new FeedRecord(
          r.partition(),
          r.offset(),
          e,
          w.categories(),
          w.acceptedAt() == null ? r.timestamp() : w.acceptedAt());
    } catch (Exception e) {
      log.warn(
          "skipping unreadable feedback record {}-{}@{}: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          e.toString());
      return null;
    }
  }
}
