package pulse.engine.storage;

import akka.actor.typed.ActorSystem;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import akka.stream.alpakka.cassandra.javadsl.CassandraSessionRegistry;

/**
 * The node's one Cassandra session: the same shared session the persistence plugin journals
 * through, so the node holds one connection pool and a readiness check tests exactly the path
 * events take.
 */
public final class CassandraStore {
  /** akka-persistence-cassandra registers its session under its own config path. */
  public static final String SESSION_CONFIG_PATH = "akka.persistence.cassandra";

  private CassandraStore() {}

  public static CassandraSession session(ActorSystem<?> system) {
    return CassandraSessionRegistry.get(system).sessionFor(SESSION_CONFIG_PATH);
  }

  public static String keyspace(ActorSystem<?> system) {
    return system.settings().config().getString("pulse.cassandra.keyspace");
  }
}
