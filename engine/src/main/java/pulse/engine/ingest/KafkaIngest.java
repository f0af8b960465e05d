package pulse.engine.ingest;

import akka.Done;
import akka.actor.Address;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.typed.Cluster;
import akka.kafka.CommitterSettings;
import akka.kafka.ConsumerMessage;
import akka.kafka.ConsumerSettings;
import akka.kafka.ProducerSettings;
import akka.kafka.Subscriptions;
import akka.kafka.cluster.sharding.KafkaClusterSharding;
import akka.kafka.javadsl.Committer;
import akka.kafka.javadsl.Consumer;
import akka.stream.KillSwitches;
import akka.stream.RestartSettings;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.RestartSource;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.engine.event.UserEvent;
import pulse.engine.metrics.KafkaClientMeters;
import pulse.engine.metrics.PulseMetrics;
import pulse.engine.user.UserEntity;
import pulse.infra.credentials.KafkaSecurity;

/**
 * Consumes {@code user-events}: each record is parsed and validated; good events are persisted by
 * their user actors, bad records go to {@code user-events-dlq} with the reason, and only then is
 * the batch's offset committed. A crash before the commit redelivers the batch, and the user actors
 * drop what they already have (same eventId), so every event counts once.
 *
 * <p>Bounded all the way: batches of at most {@code batch-size}, one in flight per partition, no
 * buffers beyond that. A user whose persist fails (Cassandra down, a persist timing out) is retried
 * with backoff within its partition's stream ({@link PersistRetry}), so one struggling user or
 * partition holds back only itself; after the last attempt its events are dead-lettered with reason
 * {@code persist-failed} and the partition moves on. Only a failure of the consumer or of the
 * dead-letter producer restarts the whole consumer, with backoff, from the last committed offset.
 */
public final class KafkaIngest {
  public static final String ERROR_HEADER = "pulse-error";
  public static final String SOURCE_HEADER = "pulse-source";

  /**
   * Why a record is in the dead-letter topic: {@link #REASON_INVALID} or {@link
   * #REASON_PERSIST_FAILED}.
   */
  public static final String REASON_HEADER = "pulse-error-reason";

  /** The record failed validation; {@link #ERROR_HEADER} names the fields. */
  public static final String REASON_INVALID = "invalid";

  /** The record was valid but its user actor could not persist it within the retry policy. */
  public static final String REASON_PERSIST_FAILED = "persist-failed";

  private static final Logger log = LoggerFactory.getLogger(KafkaIngest.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicReference<Consumer.Control> control = new AtomicReference<>();
  private final EventIngest ingest;
  private final EventParser parser;
  private final Producer<String, byte[]> dlqProducer;
  private final String dlqTopic;
  private final PulseMetrics metrics;
  private final PersistRetry retry;
  private final AtomicLong consumerStarts = new AtomicLong();
  private UniqueKillSwitch killSwitch;

  private KafkaIngest(
      EventIngest ingest,
      EventParser parser,
      Producer<String, byte[]> dlqProducer,
      String dlqTopic,
      PersistRetry retry,
      PulseMetrics metrics) {
    this.metrics = metrics;
    this.retry = retry;
    this.ingest = ingest;
    this.parser = parser;
    this.dlqProducer = dlqProducer;
    this.dlqTopic = dlqTopic;
  }

  public static KafkaIngest start(ActorSystem<?> system, EventIngest ingest, Clock clock) {
    Config c = system.settings().config().getConfig("pulse.ingest.kafka");
    ProducerSettings<String, byte[]> producerSettings =
        ProducerSettings.create(system, new StringSerializer(), new ByteArraySerializer())
            .withProperties(KafkaSecurity.from(system.settings().config()).clientProperties());
    KafkaIngest k =
        new KafkaIngest(
            ingest,
            new EventParser(clock),
            // A plain producer, called on the partition's stream: records are sent in the order
            // they were read, so a user's dead letters (and their replay) keep the user's order.
            // Alpakka's SendProducer dispatches each send as its own task and can reorder them.
            KafkaClientMeters.bind(
                producerSettings.createKafkaProducer(), PulseMetrics.get(system).registry(), "dlq"),
            c.getString("dlq-topic"),
            PersistRetry.fromConfig(c.getConfig("persist-retry")),
            PulseMetrics.get(system));
    k.run(system, c);
    return k;
  }

  /** This node's cluster address as host:port, e.g. 127.0.0.1:2551. */
  private static String nodeHostPort(ActorSystem<?> system) {
    Address self = Cluster.get(system).selfMember().address();
    return self.getHost().orElse("local") + ":" + self.getPort().map(String::valueOf).orElse("0");
  }

  private void run(ActorSystem<?> system, Config c) {
    ConsumerSettings<String, byte[]> unbound =
        ConsumerSettings.create(system, new StringDeserializer(), new ByteArrayDeserializer())
            .withGroupId(c.getString("group-id"))
            // Names this node in the group's member list (kafka-consumer-groups, bin/pulse cluster
            // status): which partitions, hence which users' shards, it holds.
            .withClientId("pulse-ingest@" + nodeHostPort(system))
            .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
            .withProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, c.getString("max-poll-records"))
            .withProperties(KafkaSecurity.from(system.settings().config()).clientProperties());
    // Its records lag per partition, fetch rates, ... on /metrics (kafka_consumer_*).
    ConsumerSettings<String, byte[]> consumerSettings =
        KafkaClientMeters.bind(unbound, PulseMetrics.get(system).registry(), "ingest");
    // Tell sharding which partitions this node consumes, so the matching shards are allocated here.
    var subscription =
        Subscriptions.topics(c.getString("topic"))
            .withRebalanceListener(
                Adapter.toClassic(
                    KafkaClusterSharding.get(system).rebalanceListener(UserEntity.TYPE_KEY)));
    CommitterSettings committerSettings = CommitterSettings.create(system);
    int batchSize = c.getInt("batch-size");
    Duration batchWindow = c.getDuration("batch-window");
    int maxPartitions = c.getInt("max-partitions-per-node");
    RestartSettings restart =
        RestartSettings.create(
            c.getDuration("restart-min-backoff"), c.getDuration("restart-max-backoff"), 0.2);

    killSwitch =
        RestartSource.onFailuresWithBackoff(
                restart,
                () -> {
                  if (consumerStarts.getAndIncrement() > 0) {
                    metrics.consumerRestarted();
                  }
                  return Consumer.committablePartitionedSource(consumerSettings, subscription)
                      .mapMaterializedValue(
                          ctl -> {
                            control.set(ctl);
                            return ctl;
                          })
                      // One substream per assigned partition, one batch at a time within it: a
                      // user's events (one
                      // key, one partition) are persisted in the order they were produced;
                      // partitions run in parallel.
                      .flatMapMerge(
                          maxPartitions,
                          partition ->
                              partition
                                  .second()
                                  .groupedWithin(batchSize, batchWindow)
                                  .mapAsync(1, this::process)
                                  .via(Committer.batchFlow(committerSettings)));
                })
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.ignore(), Keep.left())
            .run(system);

    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseServiceStop(),
            "stop-kafka-ingest",
            () -> {
              killSwitch.shutdown();
              Consumer.Control ctl = control.get();
              CompletionStage<Done> stopped =
                  ctl == null
                      ? CompletableFuture.completedFuture(Done.getInstance())
                      : ctl.shutdown();
              return stopped
                  .exceptionally(e -> Done.getInstance())
                  .thenApplyAsync(
                      d -> {
                        dlqProducer.close(Duration.ofSeconds(10));
                        return Done.getInstance();
                      })
                  .exceptionally(e -> Done.getInstance());
            });
  }

  /**
   * One batch: dead-letter the bad, persist the good (retrying the users whose persist failed, and
   * dead-lettering what still fails after the last attempt); completes with the offsets once every
   * record is either persisted or in the dead-letter topic.
   */
  private CompletionStage<ConsumerMessage.CommittableOffsetBatch> process(
      List<ConsumerMessage.CommittableMessage<String, byte[]>> batch) {
    List<UserEvent> valid = new ArrayList<>(batch.size());
    // Where each parsed event came from, to dead-letter the record as it was sent.
    Map<UserEvent, ConsumerRecord<String, byte[]>> sourceOf = new IdentityHashMap<>();
    List<CompletableFuture<?>> deadLetters = new ArrayList<>();
    for (ConsumerMessage.CommittableMessage<String, byte[]> m : batch) {
      ConsumerRecord<String, byte[]> r = m.record();
      ParseResult<UserEvent> parsed = parser.parse(r.value() == null ? new byte[0] : r.value());
      if (parsed instanceof ParseResult.Valid<UserEvent> v) {
        valid.add(v.value());
        sourceOf.put(v.value(), r);
      } else if (parsed instanceof ParseResult.Invalid<UserEvent> inv) {
        deadLetters.add(deadLetter(r, REASON_INVALID, errorsJson(inv.errors())));
      }
    }
    var offsets =
        ConsumerMessage.createCommittableOffsetBatch(
            batch.stream().map(ConsumerMessage.CommittableMessage::committableOffset).toList());
    return CompletableFuture.allOf(deadLetters.toArray(CompletableFuture[]::new))
        .thenCompose(v -> persist(valid, sourceOf, 1))
        .thenApply(v -> offsets);
  }

  /**
   * Persists {@code events}; the users whose persist failed are tried again after the retry
   * policy's wait, within this partition's stream (the node's other partitions go on), and their
   * events are dead-lettered once the attempts are spent.
   */
  private CompletionStage<Void> persist(
      List<UserEvent> events,
      Map<UserEvent, ConsumerRecord<String, byte[]>> sourceOf,
      int attempt) {
    if (events.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return ingest
        .ingest(events)
        .thenCompose(
            outcomes -> {
              List<UserEvent> failed = new ArrayList<>();
              String failure = null;
              for (EventIngest.UserOutcome o : outcomes) {
                if (o.persisted()) {
                  metrics.eventsIngested(PulseMetrics.SOURCE_KAFKA, o.accepted());
                } else {
                  failed.addAll(o.events());
                  failure = o.failure();
                }
              }
              if (failed.isEmpty()) {
                return CompletableFuture.completedFuture(null);
              }
              Optional<Duration> wait =
                  retry.delayBefore(attempt + 1, ThreadLocalRandom.current()::nextDouble);
              if (wait.isEmpty()) {
                log.error(
                    "{} events could not be persisted after {} attempts ({}); dead-lettering them",
                    failed.size(),
                    attempt,
                    failure);
                String why =
                    errorsJson(
                        List.of(
                            new FieldError(
                                FieldError.WHOLE_INPUT,
                                "not persisted after " + attempt + " attempts: " + failure)));
                return CompletableFuture.allOf(
                    failed.stream()
                        .map(e -> deadLetter(sourceOf.get(e), REASON_PERSIST_FAILED, why))
                        .toArray(CompletableFuture[]::new));
              }
              metrics.ingestPersistRetried();
              log.warn(
                  "{} events not persisted (attempt {} of {}: {}); trying again in {} ms",
                  failed.size(),
                  attempt,
                  retry.attempts(),
                  failure,
                  wait.get().toMillis());
              Executor later =
                  CompletableFuture.delayedExecutor(wait.get().toMillis(), TimeUnit.MILLISECONDS);
              return CompletableFuture.supplyAsync(() -> null, later)
                  .thenCompose(x -> persist(failed, sourceOf, attempt + 1));
            });
  }

  private CompletableFuture<?> deadLetter(
      ConsumerRecord<String, byte[]> r, String reason, String errorJson) {
    ProducerRecord<String, byte[]> dead = new ProducerRecord<>(dlqTopic, r.key(), r.value());
    dead.headers().add(ERROR_HEADER, errorJson.getBytes(StandardCharsets.UTF_8));
    dead.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
    dead.headers()
        .add(
            SOURCE_HEADER,
            (r.topic() + "/" + r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
    CompletableFuture<Void> sent = new CompletableFuture<>();
    dlqProducer.send(
        dead,
        (metadata, error) -> {
          if (error == null) {
            metrics.deadLettered(reason);
            sent.complete(null);
          } else {
            sent.completeExceptionally(error);
          }
        });
    return sent;
  }

  static String errorsJson(List<FieldError> errors) {
    try {
      return JSON.writeValueAsString(errors);
    } catch (Exception e) {
      return String.valueOf(errors);
    }
  }
}
