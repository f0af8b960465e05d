package pulse.engine.user;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.sharding.external.ExternalShardAllocationStrategy;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.kafka.cluster.sharding.KafkaClusterSharding;
import akka.util.Timeout;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import pulse.engine.common.Failures;
import pulse.engine.event.Interaction;
import pulse.engine.event.PersistedEvents;
import pulse.engine.event.RecordedEvent;
import pulse.engine.inference.InferencePool;
import pulse.engine.inference.RecommendOutcome;
import pulse.engine.inference.RecommendQuery;

/**
 * The sharded user actors, as the rest of the node sees them: record events, read features, forget
 * a user.
 *
 * <p>Shards are Kafka partitions of the user-events topic (a user's shard is the partition its
 * userId key hashes to), and an external allocation strategy places each shard on the node that
 * consumes that partition, so an event read from Kafka is persisted by an actor on the same node.
 * Requests arriving over HTTP route to wherever the user lives.
 */
public final class Users {
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final int partitions;

  private Users(ClusterSharding sharding, Duration askTimeout, int partitions) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
    this.partitions = partitions;
  }

  /**
   * Starts this node's share of the user actors, with no inference pool and no consumer of
   * persisted events.
   */
  public static Users init(ActorSystem<?> system, int partitions, Clock clock) {
    return init(system, partitions, clock, null, PersistedEvents.NONE);
  }

  /**
   * Starts this node's share of the user actors. {@code partitions}: of the user-events topic;
   * {@code pool}: this node's inference pool, to which the user actors living here hand
   * recommendations; {@code persisted}: where they hand every event they persist.
   */
  public static Users init(
      ActorSystem<?> system,
      int partitions,
      Clock clock,
      ActorRef<InferencePool.Command> pool,
      PersistedEvents persisted) {
    UserEntity.Settings settings = UserSettings.from(system.settings().config());
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(
        Entity.of(
                UserEntity.TYPE_KEY,
                ctx -> UserEntity.create(ctx.getEntityId(), settings, clock, pool, persisted))
            .withMessageExtractor(KafkaClusterSharding.get(system).messageExtractor(partitions))
            .withAllocationStrategy(
                new ExternalShardAllocationStrategy(
                    Adapter.toClassic(system),
                    UserEntity.TYPE_KEY.name(),
                    Timeout.create(Duration.ofSeconds(5)))));
    return new Users(sharding, UserSettings.askTimeout(system.settings().config()), partitions);
  }

  public int partitions() {
    return partitions;
  }

  public CompletionStage<UserEntity.Recorded> record(String userId, List<RecordedEvent> events) {
    return sharding
        .entityRefFor(UserEntity.TYPE_KEY, userId)
        .askWithStatus(replyTo -> new UserEntity.Record(events, replyTo), askTimeout);
  }

  /**
   * Features evaluated at {@code atMillis}, or now when it is null; empty for a user with no
   * events.
   */
  public CompletionStage<Optional<FeatureView>> features(String userId, Long atMillis) {
    return askedTwice(
            timeout ->
                sharding
                    .entityRefFor(UserEntity.TYPE_KEY, userId)
                    .<UserEntity.Features>askWithStatus(
                        replyTo -> new UserEntity.GetFeatures(atMillis, replyTo), timeout))
        .thenApply(UserEntity.Features::view);
  }

  /**
   * A read, asked again once if its first ask times out, each ask taking half the ask timeout. A
   * shard region drops the messages it buffered for a shard it is handing off ("to avoid
   * re-ordering"), so a read sent while a node leaves can be lost for good: the second ask finds
   * the shard's new home. Reads change nothing, so asking twice is safe; writes are not retried
   * here (the client redelivers them on 503, and eventIds make that safe).
   */
  private <T> CompletionStage<T> askedTwice(Function<Duration, CompletionStage<T>> ask) {
    Duration half = askTimeout.dividedBy(2);
    return ask.apply(half)
        .exceptionallyCompose(
            e ->
                Failures.rootCause(e) instanceof TimeoutException
                    ? ask.apply(half)
                    : CompletableFuture.failedFuture(e));
  }

  public CompletionStage<List<Interaction>> recent(String userId) {
    return sharding
        .entityRefFor(UserEntity.TYPE_KEY, userId)
        .<UserEntity.Recent>askWithStatus(UserEntity.GetRecent::new, askTimeout)
        .thenApply(UserEntity.Recent::interactions);
  }

  /**
   * Reads users' recent interactions through sharding, each ask within {@code timeout}: for the
   * learner, which starts before this node's share of the user actors (and lives on any node).
   */
  public static Function<String, CompletionStage<List<Interaction>>> recentReader(
      ActorSystem<?> system, Duration timeout) {
    ClusterSharding sharding = ClusterSharding.get(system);
    return userId ->
        sharding
            .entityRefFor(UserEntity.TYPE_KEY, userId)
            .<UserEntity.Recent>askWithStatus(UserEntity.GetRecent::new, timeout)
            .thenApply(UserEntity.Recent::interactions);
  }

  /**
   * Asks the user's actor to recommend; the pool on that actor's node answers. The ask's own
   * timeout is the deadline plus a margin, so a late answer is the pool's TIMEOUT, and only a lost
   * one an ask timeout.
   */
  public CompletionStage<RecommendOutcome> recommend(
      RecommendQuery query, long deadlineEpochMillis) {
    Duration budget =
        Duration.ofMillis(Math.max(1, deadlineEpochMillis - System.currentTimeMillis()) + 200);
    return sharding
        .entityRefFor(UserEntity.TYPE_KEY, query.userId())
        .ask(replyTo -> new UserEntity.Recommend(query, deadlineEpochMillis, replyTo), budget);
  }

  public CompletionStage<Done> forget(String userId) {
    return sharding
        .entityRefFor(UserEntity.TYPE_KEY, userId)
        .askWithStatus(UserEntity.Forget::new, askTimeout);
  }
}
