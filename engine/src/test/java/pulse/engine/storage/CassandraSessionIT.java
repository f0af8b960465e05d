package pulse.engine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.datastax.oss.driver.api.core.cql.Row;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/**
 * Writes and reads rows through the very session a node journals through, against the real
 * Cassandra.
 */
@ExtendWith(RealInfraExtension.class)
class CassandraSessionIT {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start(RealInfra infra) {
    testKit =
        ActorTestKit.create("cassandra-session-it", infra.testNodeConfig(ConfigFactory.empty()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void writesAndReadsARowThroughTheNodesSession() throws Exception {
    var session = CassandraStore.session(testKit.system());
    String keyspace = CassandraStore.keyspace(testKit.system());
    assertEquals("pulse", keyspace);
    session
        .executeDDL(
            "CREATE TABLE IF NOT EXISTS "
                + keyspace
                + ".session_it (id text PRIMARY KEY, value text, n int)")
        .toCompletableFuture()
        .get();
    String id = UUID.randomUUID().toString();
    session
        .executeWrite(
            "INSERT INTO " + keyspace + ".session_it (id, value, n) VALUES (?, ?, ?)",
            id,
            "hello",
            42)
        .toCompletableFuture()
        .get();
    Optional<Row> row =
        session
            .selectOne("SELECT value, n FROM " + keyspace + ".session_it WHERE id = ?", id)
            .toCompletableFuture()
            .get();
    assertEquals("hello", row.orElseThrow().getString("value"));
    assertEquals(42, row.orElseThrow().getInt("n"));
  }

  @Test
  void theSessionIsSharedWithThePersistencePlugin() {
    // One pool per node: the registry hands out the one session the journal uses (the javadsl
    // object is a
    // fresh wrapper each time; the session it delegates to is not).
    assertSame(
        CassandraStore.session(testKit.system()).delegate(),
        CassandraStore.session(testKit.system()).delegate());
    List<String> contactPoints =
        testKit
            .system()
            .settings()
            .config()
            .getStringList("datastax-java-driver.basic.contact-points");
    assertEquals(
        List.of("127.0.0.1:" + testKit.system().settings().config().getInt("pulse.cassandra.port")),
        contactPoints);
    assertEquals(
        Duration.ofSeconds(2),
        testKit.system().settings().config().getDuration("pulse.cassandra.ready-timeout"));
  }
}
