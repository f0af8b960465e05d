package pulse.engine.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import pulse.infra.credentials.KafkaSecurity;

/**
 * Sends dead-lettered records back into ingest once their cause is fixed ({@code bin/pulse dlq
 * replay}): reads the dead-letter topic from where consumer group {@code pulse-dlq-replay} left off
 * up to its end as of the start (so records that fail again and land in the topic anew are not read
 * in the same run), re-produces each chosen record to {@code user-events} with its original key and
 * value, and commits the group's offsets only after the producer has them. A run cut short replays
 * from its last commit; events that then arrive twice count once (the user actors drop a known
 * eventId).
 */
public final class DeadLetterReplay {
  public static final String GROUP_ID = "pulse-dlq-replay";

  /** Header on a replayed record: where in the dead-letter topic it came from. */
  public static final String REPLAYED_FROM_HEADER = "pulse-replayed-from";

  /**
   * What to replay. {@code reason} is a {@link KafkaIngest#REASON_HEADER} value, or null for every
   * record; records of another reason are passed over (their offsets are committed too, unless
   * {@code dryRun}). {@code fromBeginning} ignores the group's committed offsets. {@code security}:
   * how the clients log in ({@code pulse.kafka.security}).
   */
  public record Options(
      String bootstrapServers,
      KafkaSecurity security,
      String deadLetterTopic,
      String targetTopic,
      String reason,
      boolean dryRun,
      boolean fromBeginning) {}

  /** What a run did; {@code byReason} counts the records read per reason. */
  public record Result(
      long read, long replayed, long passedOver, Map<String, Long> byReason, double seconds) {}

  private DeadLetterReplay() {}

  public static Result run(Options o, Consumer<String> progress) {
    long t0 = System.nanoTime();
    try (KafkaConsumer<String, byte[]> consumer = consumer(o.bootstrapServers(), o.security());
        KafkaProducer<String, byte[]> producer = producer(o.bootstrapServers(), o.security())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(o.deadLetterTopic(), Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      Map<TopicPartition, OffsetAndMetadata> committed =
          o.fromBeginning()
              ? Map.of()
              : consumer.committed(Set.copyOf(partitions), Duration.ofSeconds(30));
      Map<TopicPartition, Long> position = new HashMap<>();
      for (TopicPartition tp : partitions) {
        OffsetAndMetadata c = committed.get(tp);
        long start = c == null ? beginning(consumer, tp) : c.offset();
        consumer.seek(tp, start);
        position.put(tp, start);
      }
      long total = 0;
      for (TopicPartition tp : partitions) {
        total += Math.max(0, end.get(tp) - position.get(tp));
      }
      progress.accept(
          (o.dryRun() ? "dry run: " : "")
              + total
              + " records to read in "
              + o.deadLetterTopic()
              + " ("
              + partitions.size()
              + " partitions)");
      Map<String, Long> byReason = new TreeMap<>();
      long read = 0;
      long replayed = 0;
      long lastReport = System.nanoTime();
      while (!reachedEnd(position, end)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (r.offset() >= end.get(tp)) {
            continue; // arrived after the run began
          }
          position.put(tp, r.offset() + 1);
          read++;
          String reason = header(r, KafkaIngest.REASON_HEADER);
          byReason.merge(reason == null ? "unknown" : reason, 1L, Long::sum);
          if (o.reason() != null && !o.reason().equals(reason)) {
            continue;
          }
          replayed++;
          if (!o.dryRun()) {
            ProducerRecord<String, byte[]> again =
                new ProducerRecord<>(o.targetTopic(), r.key(), r.value());
            again
                .headers()
                .add(
                    REPLAYED_FROM_HEADER,
                    (r.topic() + "/" + r.partition() + "@" + r.offset())
                        .getBytes(StandardCharsets.UTF_8));
            producer.send(again);
          }
        }
        for (TopicPartition tp : partitions) {
          // Past records the broker skips (deleted by retention, transaction markers), never past
          // the end this run reads to.
          long p = Math.min(consumer.position(tp), end.get(tp));
          position.merge(tp, p, Math::max);
        }
        if (!o.dryRun()) {
          // Commit only what the broker has: a crash after this line replays nothing twice, one
          // before it replays this poll again (counted once by eventId).
          producer.flush();
          Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
          position.forEach((tp, p) -> commit.put(tp, new OffsetAndMetadata(p)));
          consumer.commitSync(commit);
        }
        if (System.nanoTime() - lastReport > 2_000_000_000L) {
          lastReport = System.nanoTime();
          progress.accept(progressLine(read, total, (lastReport - t0) / 1e9));
        }
      }
      return new Result(read, replayed, read - replayed, byReason, (System.nanoTime() - t0) / 1e9);
    }
  }

  static String progressLine(long read, long total, double seconds) {
    double rate = seconds > 0 ? read / seconds : 0;
    String eta = rate > 0 ? String.format("%.0f s", (total - read) / rate) : "?";
    return String.format("read %d of %d (%.0f records/s, ETA %s)", read, total, rate, eta);
  }

  private static boolean reachedEnd(
      Map<TopicPartition, Long> position, Map<TopicPartition, Long> end) {
    for (var e : end.entrySet()) {
      if (position.get(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static long beginning(KafkaConsumer<String, byte[]> consumer, TopicPartition tp) {
    return consumer.beginningOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static KafkaConsumer<String, byte[]> consumer(String bootstrap, KafkaSecurity security) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "pulse-dlq-replay");
    security.addTo(p);
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap, KafkaSecurity security) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "pulse-dlq-replay");
    security.addTo(p);
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }
}
