package pulse.engine.catalog;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import akka.stream.javadsl.Sink;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import pulse.engine.common.CborSerializable;
import pulse.engine.storage.CassandraStore;

/**
 * Keeps this node's {@link CatalogIndex} current: a full scan of the items table at start and then
 * every {@code pulse.catalog.index-refresh}, and the upserts every node broadcasts on a
 * cluster-wide topic as it writes them, so an item marked unavailable through any node stops being
 * recommended everywhere within a message's flight, not a refresh interval.
 */
public final class CatalogIndexUpdater {
  private CatalogIndexUpdater() {}

  public sealed interface Command {}

  /** Broadcast by the node that wrote the items (only after Cassandra acknowledged them). */
  public record ItemsChanged(List<CatalogIndex.Entry> entries)
      implements Command, CborSerializable {}

  private record Refresh() implements Command {}

  private record Scanned(List<CatalogIndex.Entry> entries, Throwable failure) implements Command {}

  /** The topic every node's updater subscribes to; publish {@link ItemsChanged} to it. */
  public static Behavior<Topic.Command<ItemsChanged>> topic() {
    return Topic.create(ItemsChanged.class, "pulse-catalog-changes");
  }

  public static Behavior<Command> create(
      CatalogIndex index, ActorRef<Topic.Command<ItemsChanged>> topic, Duration refreshEvery) {
    return Behaviors.setup(
        ctx -> {
          topic.tell(Topic.subscribe(ctx.getSelf().narrow()));
          ActorSystem<?> system = ctx.getSystem();
          CassandraSession session = CassandraStore.session(system);
          String cql =
              "SELECT item_id, categories, available FROM "
                  + CassandraStore.keyspace(system)
                  + ".items";
          return Behaviors.withTimers(
              timers -> {
                ctx.getSelf().tell(new Refresh());
                return Behaviors.receive(Command.class)
                    .onMessage(
                        ItemsChanged.class,
                        msg -> {
                          index.apply(msg.entries());
                          return Behaviors.same();
                        })
                    .onMessage(
                        Refresh.class,
                        msg -> {
                          ctx.pipeToSelf(
                              scan(session, cql, system),
                              (entries, failure) -> new Scanned(entries, failure));
                          return Behaviors.same();
                        })
                    .onMessage(
                        Scanned.class,
                        msg -> {
                          if (msg.failure() != null) {
                            ctx.getLog()
                                .warn(
                                    "scanning the item catalog failed (retrying in {}): {}",
                                    refreshEvery,
                                    msg.failure().toString());
                          } else {
                            index.applyScan(msg.entries());
                            ctx.getLog()
                                .debug("catalog index refreshed: {} items", msg.entries().size());
                          }
                          timers.startSingleTimer(new Refresh(), refreshEvery);
                          return Behaviors.same();
                        })
                    .build();
              });
        });
  }

  private static CompletionStage<List<CatalogIndex.Entry>> scan(
      CassandraSession session, String cql, ActorSystem<?> system) {
    // LOCAL_ONE: a scan is a background refresh; upserts reach the index directly through the
    // topic.
    SimpleStatement statement =
        SimpleStatement.newInstance(cql)
            .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_ONE)
            .setPageSize(5000);
    return session
        .select(statement)
        .map(
            row ->
                new CatalogIndex.Entry(
                    row.getString("item_id"),
                    row.isNull("available") || row.getBoolean("available"),
                    row.getList("categories", String.class)))
        .runWith(Sink.seq(), system);
  }
}
