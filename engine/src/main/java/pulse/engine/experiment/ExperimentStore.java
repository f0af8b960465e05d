package pulse.engine.experiment;

import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import pulse.engine.storage.PreparedOnce;

/**
 * Experiments in {@code <keyspace>.experiments} (cassandra-schema/V007), through the node's one
 * Cassandra session.
 *
 * <p>Creating and stopping are lightweight transactions (Paxos, SERIAL): two admins creating the
 * same name on two nodes get one experiment and one 409, and a stop is applied once. Reads are
 * LOCAL_QUORUM, which sees a committed transaction.
 */
public final class ExperimentStore {
  private static final ConsistencyLevel READ = DefaultConsistencyLevel.LOCAL_QUORUM;
  private static final ConsistencyLevel WRITE = DefaultConsistencyLevel.LOCAL_QUORUM;
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** What the definition column holds; {@code shadow} is absent (null) in older rows. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Definition(List<Variant> variants, String control, Variant shadow) {}

  private final CassandraSession session;
  private final PreparedOnce insert;
  private final PreparedOnce stop;
  private final PreparedOnce selectAll;
  private final PreparedOnce reweigh;

  public ExperimentStore(CassandraSession session, String keyspace) {
    this.session = session;
    String table = keyspace + ".experiments";
    this.insert =
        new PreparedOnce(
            session,
            "INSERT INTO "
                + table
                + " (name, definition, status, created_at) VALUES (?, ?, ?, ?) IF NOT EXISTS");
    this.stop =
        new PreparedOnce(
            session,
            "UPDATE " + table + " SET status = ?, stopped_at = ? WHERE name = ? IF status = ?");
    this.reweigh =
        new PreparedOnce(
            session, "UPDATE " + table + " SET definition = ? WHERE name = ? IF status = ?");
    this.selectAll =
        new PreparedOnce(
            session, "SELECT name, definition, status, created_at, stopped_at FROM " + table);
  }

  /** True when it was created, false when an experiment of that name exists. */
  public CompletionStage<Boolean> create(Experiment e) {
    String definition = definition(e.variants(), e.control(), e.shadow());
    return insert
        .get()
        .thenCompose(
            ps ->
                session.selectOne(ps.bind(e.name(), definition, stored(e.status()), e.createdAt())))
        .thenApply(row -> row.map(r -> r.getBoolean("[applied]")).orElse(false));
  }

  /** True when it was running and is now stopped; false when it was not running. */
  public CompletionStage<Boolean> stop(String name, Instant at) {
    return stop.get()
        .thenCompose(
            ps ->
                session.selectOne(
                    ps.bind(
                            stored(Experiment.Status.STOPPED),
                            at,
                            name,
                            stored(Experiment.Status.RUNNING))
                        .setConsistencyLevel(WRITE)))
        .thenApply(row -> row.map(r -> r.getBoolean("[applied]")).orElse(false));
  }

  /** New variants (a canary's next step) for a running experiment; false when it is not running. */
  public CompletionStage<Boolean> reweigh(
      String name, List<Variant> variants, String control, Variant shadow) {
    String definition = definition(variants, control, shadow);
    return reweigh
        .get()
        .thenCompose(
            ps ->
                session.selectOne(
                    ps.bind(definition, name, stored(Experiment.Status.RUNNING))
                        .setConsistencyLevel(WRITE)))
        .thenApply(row -> row.map(r -> r.getBoolean("[applied]")).orElse(false));
  }

  private static String definition(List<Variant> variants, String control, Variant shadow) {
    try {
      return JSON.writeValueAsString(new Definition(variants, control, shadow));
    } catch (JsonProcessingException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Every experiment, oldest first. The table holds a handful of rows. */
  public CompletionStage<List<Experiment>> all() {
    return selectAll
        .get()
        .thenCompose(ps -> session.selectAll(ps.bind().setConsistencyLevel(READ)))
        .thenApply(
            rows -> {
              List<Experiment> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(toExperiment(r));
              }
              out.sort(Comparator.comparing(Experiment::createdAt).thenComparing(Experiment::name));
              return out;
            });
  }

  private static Experiment toExperiment(Row r) {
    Definition d;
    try {
      d = JSON.readValue(r.getString("definition"), Definition.class);
    } catch (JsonProcessingException ex) {
      throw new UncheckedIOException(
          "experiment " + r.getString("name") + " has an unreadable definition", ex);
    }
    return new Experiment(
        r.getString("name"),
        d.variants(),
        d.control(),
        d.shadow(),
        Experiment.Status.valueOf(r.getString("status").toUpperCase(java.util.Locale.ROOT)),
        r.getInstant("created_at"),
        r.getInstant("stopped_at"));
  }

  private static String stored(Experiment.Status s) {
    return s.name().toLowerCase(java.util.Locale.ROOT);
  }
}
