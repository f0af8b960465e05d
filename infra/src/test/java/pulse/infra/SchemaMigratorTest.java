package pulse.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaMigratorTest {

  @Test
  void splitsOnSemicolonsOutsideQuotesAndDropsLineComments() {
    List<String> statements =
        SchemaMigrator.split(
            """
        -- a comment; with a semicolon
        CREATE TABLE a (x int PRIMARY KEY) WITH comment = 'one; two';
        // another comment
        INSERT INTO a (x) VALUES (1);

        """);
    assertEquals(
        List.of(
            "CREATE TABLE a (x int PRIMARY KEY) WITH comment = 'one; two'",
            "INSERT INTO a (x) VALUES (1)"),
        statements);
  }

  @Test
  void loadsMigrationsInVersionOrderWithPlaceholdersReplaced(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("V010__later.cql"), "CREATE TABLE {{keyspace}}.b (x int PRIMARY KEY);");
    Files.writeString(
        dir.resolve("V002__first.cql"),
        "CREATE KEYSPACE {{keyspace}} WITH replication = {{replication}};");
    Files.writeString(dir.resolve("notes.txt"), "not a migration");
    List<SchemaMigrator.Migration> ms =
        new SchemaMigrator(dir, "ks", "{'class': 'SimpleStrategy'}").load();
    assertEquals(List.of(2, 10), ms.stream().map(SchemaMigrator.Migration::version).toList());
    assertEquals(
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy'}",
        ms.get(0).statements().get(0));
    assertEquals("CREATE TABLE ks.b (x int PRIMARY KEY)", ms.get(1).statements().get(0));
  }

  @Test
  void refusesTwoMigrationsWithOneVersion(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("V001__a.cql"), "SELECT 1;");
    Files.writeString(dir.resolve("V1__b.cql"), "SELECT 2;");
    InfraException e =
        assertThrows(InfraException.class, () -> new SchemaMigrator(dir, "ks", "{}").load());
    assertTrue(e.getMessage().contains("share version 1"), e.getMessage());
  }

  @Test
  void theProjectsOwnSchemaParses() {
    Path schema = PulseConfig.home().resolve("cassandra-schema");
    List<SchemaMigrator.Migration> ms =
        new SchemaMigrator(schema, "pulse", "{'class': 'SimpleStrategy', 'replication_factor': 1}")
            .load();
    assertTrue(ms.size() >= 3);
    ms.forEach(
        m ->
            m.statements()
                .forEach(st -> assertTrue(st.startsWith("CREATE"), m.file() + ": " + st)));
  }
}
