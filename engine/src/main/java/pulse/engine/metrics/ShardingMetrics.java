package pulse.engine.metrics;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shards and live entities this node hosts, per entity type ({@code pulse_sharding_shards}, {@code
 * pulse_sharding_entities}, tag {@code type}): the local shard region is asked every {@code
 * interval} (a local message per shard), so a gauge is at most that old.
 */
public final class ShardingMetrics {
  private ShardingMetrics() {}

  public static void bind(
      ActorSystem<?> system,
      MeterRegistry registry,
      List<EntityTypeKey<?>> types,
      Duration interval) {
    for (EntityTypeKey<?> type : types) {
      AtomicInteger shards = new AtomicInteger();
      AtomicInteger entities = new AtomicInteger();
      Gauge.builder("pulse_sharding_shards", shards, AtomicInteger::get)
          .description("Shards of the entity type this node hosts.")
          .tag("type", type.name())
          .register(registry);
      Gauge.builder("pulse_sharding_entities", entities, AtomicInteger::get)
          .description(
              "Live (not passivated) entities of the type on this node; users are bounded by the"
                  + " active-entity limit.")
          .tag("type", type.name())
          .register(registry);
      system
          .scheduler()
          .scheduleWithFixedDelay(
              interval,
              interval,
              () ->
                  AskPattern.<Object, ShardRegion.CurrentShardRegionState>ask(
                          ClusterSharding.get(system).shardState().unsafeUpcast(),
                          replyTo -> new GetShardRegionState(type, replyTo),
                          interval,
                          system.scheduler())
                      .thenAccept(
                          state -> {
                            shards.set(state.getShards().size());
                            entities.set(
                                state.getShards().stream()
                                    .mapToInt(s -> s.getEntityIds().size())
                                    .sum());
                          }),
              system.executionContext());
    }
  }
}
