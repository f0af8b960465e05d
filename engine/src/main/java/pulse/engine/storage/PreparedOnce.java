package pulse.engine.storage;

import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A CQL statement prepared on first use and then reused. A failed prepare (Cassandra not up yet:
 * nodes start before it, see reconnect-on-init) is not remembered, so the next use tries again.
 */
public final class PreparedOnce {
  private final CassandraSession session;
  private final String cql;
  private final AtomicReference<CompletableFuture<PreparedStatement>> prepared =
      new AtomicReference<>();

  public PreparedOnce(CassandraSession session, String cql) {
    this.session = session;
    this.cql = cql;
  }

  public CompletionStage<PreparedStatement> get() {
    CompletableFuture<PreparedStatement> current = prepared.get();
    if (current != null && !current.isCompletedExceptionally()) {
      return current;
    }
    CompletableFuture<PreparedStatement> mine = new CompletableFuture<>();
    if (!prepared.compareAndSet(current, mine)) {
      return prepared.get();
    }
    try {
      session
          .prepare(cql)
          .whenComplete(
              (statement, error) -> {
                if (error != null) {
                  mine.completeExceptionally(error);
                } else {
                  mine.complete(statement);
                }
              });
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
    }
    return mine;
  }
}
