package pulse.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/**
 * Migrations against the real Cassandra: applied once, recorded, and a changed migration refused.
 */
@ExtendWith(RealInfraExtension.class)
class SchemaMigrationIT {

  private CqlSession session(RealInfra infra) {
    return CqlSession.builder()
        .addContactPoint(new InetSocketAddress(infra.cassandraHost(), infra.cassandraPort()))
        .withLocalDatacenter(CassandraServer.DATACENTER)
        .build();
  }

  @Test
  void theExtensionAppliedTheProjectSchema(RealInfra infra) {
    try (CqlSession s = session(infra)) {
      List<String> tables =
          s
              .execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'pulse'")
              .all()
              .stream()
              .map(r -> r.getString(0))
              .toList();
      assertTrue(
          tables.containsAll(
              List.of("messages", "snapshots", "tag_views", "metadata", "all_persistence_ids")),
          tables.toString());
      long recorded =
          s.execute(
                  "SELECT count(*) FROM pulse_meta.schema_migrations WHERE version < 9000 ALLOW FILTERING")
              .one()
              .getLong(0);
      assertEquals(
          new SchemaMigrator(infra.settings().schemaDir(), "pulse", "{}").load().size(), recorded);
    }
  }

  @Test
  void appliesOnceThenSkipsThenRefusesAnEditedMigration(RealInfra infra, @TempDir Path dir)
      throws Exception {
    String replication = "{'class': 'SimpleStrategy', 'replication_factor': 1}";
    Files.writeString(
        dir.resolve("V001__ks.cql"),
        "CREATE KEYSPACE IF NOT EXISTS {{keyspace}} WITH replication = {{replication}};");
    Files.writeString(
        dir.resolve("V002__t.cql"),
        "CREATE TABLE IF NOT EXISTS {{keyspace}}.t (id int PRIMARY KEY, v text);");
    try (CqlSession s = session(infra)) {
      // pulse_meta.schema_migrations is shared; this test's migrations use versions far from the
      // project's.
      s.execute("DELETE FROM pulse_meta.schema_migrations WHERE version IN (9001, 9002)");
      Files.move(dir.resolve("V001__ks.cql"), dir.resolve("V9001__ks.cql"));
      Files.move(dir.resolve("V002__t.cql"), dir.resolve("V9002__t.cql"));
      SchemaMigrator migrator = new SchemaMigrator(dir, "migration_it", replication);
      var first = migrator.migrate(s);
      assertEquals(2, first.applied().size());
      s.execute("INSERT INTO migration_it.t (id, v) VALUES (1, 'x')");
      var second = migrator.migrate(s);
      assertEquals(0, second.applied().size());
      assertEquals(2, second.alreadyApplied().size());
      Files.writeString(
          dir.resolve("V9002__t.cql"),
          "CREATE TABLE IF NOT EXISTS {{keyspace}}.t (id int PRIMARY KEY, v int);");
      InfraException e = assertThrows(InfraException.class, () -> migrator.migrate(s));
      assertTrue(
          e.getMessage().contains("V9002__t.cql was changed after it was applied"), e.getMessage());
      assertEquals("x", s.execute("SELECT v FROM migration_it.t WHERE id = 1").one().getString(0));
    }
  }
}
