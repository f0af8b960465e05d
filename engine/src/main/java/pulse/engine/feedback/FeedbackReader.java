package pulse.engine.feedback;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.kafka.ConsumerSettings;
import akka.kafka.Subscriptions;
import akka.kafka.javadsl.Consumer;
import akka.stream.KillSwitches;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.engine.metrics.KafkaClientMeters;
import pulse.engine.metrics.PulseMetrics;
import pulse.infra.credentials.KafkaSecurity;

/**
 * The learner's read of the feedback topic: every partition the broker has for it, from the offsets
 * stored with the version the learner stands on (not from consumer-group commits: the offsets must
 * move with the model, in the same Cassandra row), in mini-batches of at most {@code batch-size}
 * records or {@code batch-window}, one at a time (the next batch is read only after the learner
 * answered the last). Unreadable records are skipped with a warning; they never stop learning.
 *
 * <p>The stream does not restart itself: its owner watches {@link Running#done()} and starts a new
 * one from the offsets it has learned up to, which a restart inside the stream could not know.
 */
public final class FeedbackReader {
  private static final Logger log = LoggerFactory.getLogger(FeedbackReader.class);
  private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(30);

  private FeedbackReader() {}

  /**
   * A started read. {@code reading}: completes with the start offsets once the broker named the
   * topic's partitions (fails, as {@code done} does, when it did not); {@code done}: the stream
   * ended, normally only after {@code killSwitch} was shut down.
   */
  public record Running(
      UniqueKillSwitch killSwitch,
      CompletionStage<Map<Integer, Long>> reading,
      CompletionStage<Done> done) {}

  public static Running run(
      ActorSystem<?> system,
      FeedbackSettings settings,
      Map<Integer, Long> offsets,
      Function<List<FeedRecord>, CompletionStage<Done>> learn) {
    // Asking the broker blocks (up to BROKER_TIMEOUT): off the caller's thread, inside the stream,
    // so a broker that is away fails this stream and its owner restarts it later.
    CompletableFuture<Map<Integer, Long>> reading =
        CompletableFuture.supplyAsync(
            () -> startOffsets(system, settings, offsets),
            system.dispatchers().lookup(DispatcherSelector.blocking()));
    var both =
        Source.completionStage(reading)
            .flatMapConcat(
                start -> {
                  Map<TopicPartition, Long> assignment = new HashMap<>();
                  start.forEach(
                      (p, o) -> assignment.put(new TopicPartition(settings.topic(), p), o));
                  return Consumer.plainSource(
                      consumerSettings(system, settings),
                      Subscriptions.assignmentWithOffset(assignment));
                })
            .map(FeedbackReader::parse)
            .filter(r -> r != null)
            .groupedWithin(settings.batchSize(), settings.batchWindow())
            .viaMat(KillSwitches.single(), Keep.right())
            .mapAsync(1, learn::apply)
            .toMat(Sink.ignore(), Keep.both())
            .run(system);
    return new Running(both.first(), reading, both.second());
  }

  /**
   * Where to read each partition the broker has: the stored offset, or, for a partition the stored
   * offsets do not cover (added since), its end now.
   */
  static Map<Integer, Long> startOffsets(
      ActorSystem<?> system, FeedbackSettings s, Map<Integer, Long> stored) {
    try (org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer =
        consumerSettings(system, s).createKafkaConsumer()) {
      List<TopicPartition> partitions = partitions(consumer, s.topic());
      List<TopicPartition> uncovered =
          partitions.stream().filter(tp -> !stored.containsKey(tp.partition())).toList();
      Map<TopicPartition, Long> ends =
          uncovered.isEmpty() ? Map.of() : consumer.endOffsets(uncovered, BROKER_TIMEOUT);
      Map<Integer, Long> start = new HashMap<>();
      for (TopicPartition tp : partitions) {
        start.put(
            tp.partition(),
            stored.containsKey(tp.partition())
                ? stored.get(tp.partition())
                : ends.getOrDefault(tp, 0L));
      }
      return start;
    }
  }

  private static ConsumerSettings<String, byte[]> consumerSettings(
      ActorSystem<?> system, FeedbackSettings s) {
    ConsumerSettings<String, byte[]> settings =
        ConsumerSettings.create(system, new StringDeserializer(), new ByteArrayDeserializer())
            .withGroupId(s.groupId())
            .withProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
            // A stored offset the topic no longer has (retention deleted it while the learner was
            // away) reads from the oldest record kept, not from the end: what is left is learned.
            .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
            .withProperties(KafkaSecurity.from(system.settings().config()).clientProperties());
    // Its records lag per partition of the feedback topic on /metrics (kafka_consumer_*).
    return KafkaClientMeters.bind(settings, PulseMetrics.get(system).registry(), s.reader());
  }

  /**
   * The topic's partitions as the broker has them (not as configured: a topic grown since is read
   * whole).
   */
  private static List<TopicPartition> partitions(
      org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, BROKER_TIMEOUT);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("the broker has no partitions for topic " + topic);
    }
    return infos.stream()
        .map(i -> new TopicPartition(topic, i.partition()))
        .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
        .toList();
  }

  /** The current end of every partition: where a learner with no stored offsets begins. */
  public static Map<Integer, Long> endOffsets(ActorSystem<?> system, FeedbackSettings s) {
    try (org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer =
        consumerSettings(system, s).createKafkaConsumer()) {
      Map<Integer, Long> out = new HashMap<>();
      consumer
          .endOffsets(partitions(consumer, s.topic()), BROKER_TIMEOUT)
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
          w.acceptedAt() == null ? r.timestamp() : w.acceptedAt(),
          w);
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
