package pulse.engine.analysis;

import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import pulse.engine.experiment.VariantTotals;
import pulse.engine.storage.PreparedOnce;

/**
 * The analyst's checkpoint in {@code <keyspace>.experiment_analysis} (cassandra-schema/V007): one
 * row, written whole at LOCAL_QUORUM, so a reader on any node after a failover sees the last one.
 */
final class CheckpointStore {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<Map<String, Map<String, VariantTotals.Snapshot>>> TOTALS =
      new TypeReference<>() {};

  private final CassandraSession session;
  private final String analyst;
  private final PreparedOnce write;
  private final PreparedOnce read;

  CheckpointStore(CassandraSession session, String keyspace, String analyst) {
    this.session = session;
    this.analyst = analyst;
    String table = keyspace + ".experiment_analysis";
    this.write =
        new PreparedOnce(
            session,
            "INSERT INTO "
                + table
                + " (analyst, totals, attribution, offsets, saved_at) VALUES (?, ?, ?, ?, ?)");
    this.read =
        new PreparedOnce(
            session, "SELECT totals, attribution, offsets FROM " + table + " WHERE analyst = ?");
  }

  CompletionStage<akka.Done> save(AnalystCheckpoint c) {
    String totals;
    String attribution;
    try {
      totals = JSON.writeValueAsString(c.totals());
      attribution = JSON.writeValueAsString(c.progress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return write
        .get()
        .thenCompose(
            ps ->
                session.executeWrite(
                    ps.bind(analyst, totals, attribution, c.offsets(), Instant.now())
                        .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_QUORUM)
                        .setIdempotent(true)));
  }

  CompletionStage<Optional<AnalystCheckpoint>> load() {
    return read.get()
        .thenCompose(
            ps ->
                session.selectOne(
                    ps.bind(analyst).setConsistencyLevel(DefaultConsistencyLevel.LOCAL_QUORUM)))
        .thenApply(
            row ->
                row.map(
                    r -> {
                      try {
                        return new AnalystCheckpoint(
                            JSON.readValue(r.getString("totals"), TOTALS),
                            JSON.readValue(
                                r.getString("attribution"), AnalystCheckpoint.Progress.class),
                            r.getMap("offsets", Integer.class, Long.class));
                      } catch (IOException e) {
                        throw new UncheckedIOException(
                            "the experiment analyst's checkpoint is unreadable", e);
                      }
                    }));
  }
}
