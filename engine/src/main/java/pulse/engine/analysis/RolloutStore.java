package pulse.engine.analysis;

import akka.Done;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import pulse.engine.experiment.Rollout;
import pulse.engine.storage.PreparedOnce;

/**
 * Canary rollouts in {@code <keyspace>.rollouts} (cassandra-schema/V007): one row each, the whole
 * {@link Rollout} as JSON, written at LOCAL_QUORUM after every decision.
 */
final class RolloutStore {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private final CassandraSession session;
  private final PreparedOnce write;
  private final PreparedOnce readAll;

  RolloutStore(CassandraSession session, String keyspace) {
    this.session = session;
    this.write =
        new PreparedOnce(
            session,
            "INSERT INTO " + keyspace + ".rollouts (name, state, updated_at) VALUES (?, ?, ?)");
    this.readAll = new PreparedOnce(session, "SELECT state FROM " + keyspace + ".rollouts");
  }

  CompletionStage<Done> save(Rollout r) {
    String state;
    try {
      state = JSON.writeValueAsString(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return write
        .get()
        .thenCompose(
            ps ->
                session.executeWrite(
                    ps.bind(r.name(), state, Instant.now())
                        .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_QUORUM)
                        .setIdempotent(true)));
  }

  /** Every rollout, newest first. */
  CompletionStage<List<Rollout>> all() {
    return readAll
        .get()
        .thenCompose(
            ps ->
                session.selectAll(
                    ps.bind().setConsistencyLevel(DefaultConsistencyLevel.LOCAL_QUORUM)))
        .thenApply(
            rows -> {
              List<Rollout> out = new ArrayList<>();
              for (Row row : rows) {
                try {
                  out.add(JSON.readValue(row.getString("state"), Rollout.class));
                } catch (IOException e) {
                  throw new UncheckedIOException("a stored rollout is unreadable", e);
                }
              }
              out.sort(Comparator.comparing(Rollout::startedAt).reversed());
              return out;
            });
  }
}
