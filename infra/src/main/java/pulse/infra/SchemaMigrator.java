package pulse.infra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Applies {@code cassandra-schema/V<NNN>__<name>.cql} in version order, each once, and records what
 * it applied in {@code pulse_meta.schema_migrations}. A migration that was changed after it was
 * applied is an error, not a silent re-run: ship a new version instead. Statements are written with
 * IF NOT EXISTS so that a migration cut short half-way can simply run again.
 *
 * <p>{@code {{keyspace}}} and {@code {{replication}}} in a file are replaced by the configured
 * values, so the same files serve a laptop (SimpleStrategy, RF 1) and a production cluster
 * (NetworkTopologyStrategy).
 */
public final class SchemaMigrator {
  private static final Pattern FILE = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.cql");
  private static final Duration DDL_TIMEOUT = Duration.ofSeconds(30);

  public record Migration(
      int version, String name, Path file, String checksum, List<String> statements) {}

  public record Result(List<Migration> applied, List<Migration> alreadyApplied) {}

  private final Path schemaDir;
  private final String keyspace;
  private final String replication;

  public SchemaMigrator(Path schemaDir, String keyspace, String replication) {
    this.schemaDir = schemaDir;
    this.keyspace = keyspace;
    this.replication = replication;
  }

  public List<Migration> load() {
    List<Migration> migrations = new ArrayList<>();
    try (Stream<Path> files = Files.list(schemaDir)) {
      for (Path f : files.sorted().toList()) {
        Matcher m = FILE.matcher(f.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        String text =
            Files.readString(f, StandardCharsets.UTF_8)
                .replace("{{keyspace}}", keyspace)
                .replace("{{replication}}", replication);
        migrations.add(
            new Migration(Integer.parseInt(m.group(1)), m.group(2), f, sha256(text), split(text)));
      }
    } catch (IOException e) {
      throw new InfraException(
          "cannot read the schema folder " + schemaDir + ": " + e.getMessage());
    }
    migrations.sort((a, b) -> Integer.compare(a.version(), b.version()));
    for (int i = 1; i < migrations.size(); i++) {
      if (migrations.get(i).version() == migrations.get(i - 1).version()) {
        throw new InfraException(
            "two schema migrations share version " + migrations.get(i).version());
      }
    }
    return migrations;
  }

  public Result migrate(CqlSession session) {
    execute(session, "CREATE KEYSPACE IF NOT EXISTS pulse_meta WITH replication = " + replication);
    execute(
        session,
        "CREATE TABLE IF NOT EXISTS pulse_meta.schema_migrations ("
            + "version int PRIMARY KEY, name text, checksum text, applied_at timestamp)");
    Map<Integer, String> recorded = new HashMap<>();
    for (Row row : session.execute("SELECT version, checksum FROM pulse_meta.schema_migrations")) {
      recorded.put(row.getInt("version"), row.getString("checksum"));
    }
    List<Migration> applied = new ArrayList<>();
    List<Migration> skipped = new ArrayList<>();
    for (Migration m : load()) {
      String checksum = recorded.get(m.version());
      if (checksum != null) {
        if (!checksum.equals(m.checksum())) {
          throw new InfraException(
              "schema migration "
                  + m.file().getFileName()
                  + " was changed after it was applied; add a new migration instead");
        }
        skipped.add(m);
        continue;
      }
      for (String statement : m.statements()) {
        execute(session, statement);
      }
      session.execute(
          SimpleStatement.newInstance(
              "INSERT INTO pulse_meta.schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
              m.version(),
              m.name(),
              m.checksum(),
              Instant.now()));
      applied.add(m);
    }
    return new Result(applied, skipped);
  }

  private static void execute(CqlSession session, String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
  }

  /** Splits a CQL script on ';' outside quotes, dropping '--' and '//' line comments. */
  static List<String> split(String script) {
    StringBuilder clean = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      String t = line.strip();
      if (t.startsWith("--") || t.startsWith("//")) {
        continue;
      }
      clean.append(line).append('\n');
    }
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inQuote = false;
    for (char ch : clean.toString().toCharArray()) {
      if (ch == '\'') {
        inQuote = !inQuote;
      }
      if (ch == ';' && !inQuote) {
        if (!current.toString().isBlank()) {
          out.add(current.toString().strip());
        }
        current.setLength(0);
      } else {
        current.append(ch);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
