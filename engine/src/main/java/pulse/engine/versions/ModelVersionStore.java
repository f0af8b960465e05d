package pulse.engine.versions;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import pulse.engine.storage.CassandraStore;
import pulse.engine.storage.PreparedOnce;

/**
 * Model versions of one model in {@code model_versions} and their bytes in {@code model_chunks}
 * (cassandra-schema/V005), through the node's Cassandra session. Every method is asynchronous.
 *
 * <p>{@link #append} writes the blob's header and chunks first and the version row last, so a crash
 * part-way leaves chunks nobody points at, never a version whose bytes are missing. Every write to
 * a version row is a lightweight transaction (insert if absent, update if it is still the same
 * version): two learners that both think they own the model cannot overwrite each other's versions,
 * and mixing LWT with plain writes on the same row (which can reorder them) never happens.
 *
 * <p>Statements are prepared on first use and kept (the driver's own cache holds them only weakly,
 * so a GC would cost a round trip); a prepare that failed (Cassandra not up yet) is forgotten and
 * tried again next time.
 */
public final class ModelVersionStore {
  /** See V005__model_versions.cql for why 512 KiB. */
  public static final int CHUNK_SIZE = 512 * 1024;

  // Chunk writes in flight at once: enough to hide round trips, few enough not to flood the
  // driver's queue.
  private static final int WRITE_PARALLELISM = 4;
  // 4 chunks (2 MiB) per page when reading a blob, so no single response carries a whole
  // checkpoint.
  private static final int CHUNK_PAGE = 4;
  private static final int ROW_PAGE = 100;
  private static final DefaultConsistencyLevel CONSISTENCY = DefaultConsistencyLevel.LOCAL_QUORUM;
  private static final DefaultConsistencyLevel SERIAL = DefaultConsistencyLevel.LOCAL_SERIAL;
  private static final String COLUMNS =
      "seq, version, base_version, kind, created_at, status, metrics, kafka_offsets, chunks, bytes, sha256";

  private final CassandraSession session;
  private final String model;
  private final int chunkSize;
  private final String insertHeader;
  private final String insertChunk;
  private final String selectHeader;
  private final String selectChunks;
  private final String insertVersion;
  private final String selectBySeq;
  private final String selectNewest;
  private final String selectAfter;
  private final String updateStatus;
  private final String selectLatestSeq;
  private final String deleteVersion;
  private final String deleteChunks;
  private final ConcurrentHashMap<String, PreparedOnce> prepared = new ConcurrentHashMap<>();

  public ModelVersionStore(CassandraSession session, String keyspace, String model) {
    this(session, keyspace, model, CHUNK_SIZE);
  }

  ModelVersionStore(CassandraSession session, String keyspace, String model, int chunkSize) {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("a model name is required, e.g. \"default\"");
    }
    this.session = session;
    this.model = model;
    this.chunkSize = chunkSize;
    String versions = keyspace + ".model_versions";
    String chunks = keyspace + ".model_chunks";
    insertHeader =
        "INSERT INTO "
            + chunks
            + " (model, version, seq, chunks, bytes, sha256) VALUES (?, ?, ?, ?, ?, ?)";
    insertChunk = "INSERT INTO " + chunks + " (model, version, chunk, data) VALUES (?, ?, ?, ?)";
    selectHeader =
        "SELECT seq, chunks, bytes, sha256 FROM "
            + chunks
            + " WHERE model = ? AND version = ? LIMIT 1";
    selectChunks = "SELECT chunk, data FROM " + chunks + " WHERE model = ? AND version = ?";
    insertVersion =
        "INSERT INTO "
            + versions
            + " (model, "
            + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " IF NOT EXISTS";
    selectBySeq = "SELECT " + COLUMNS + " FROM " + versions + " WHERE model = ? AND seq = ?";
    selectNewest = "SELECT " + COLUMNS + " FROM " + versions + " WHERE model = ?";
    selectAfter =
        "SELECT " + COLUMNS + " FROM " + versions + " WHERE model = ? AND seq > ? ORDER BY seq ASC";
    updateStatus =
        "UPDATE " + versions + " SET status = ? WHERE model = ? AND seq = ? IF version = ?";
    selectLatestSeq = "SELECT seq FROM " + versions + " WHERE model = ? LIMIT 1";
    deleteVersion = "DELETE FROM " + versions + " WHERE model = ? AND seq = ?";
    deleteChunks = "DELETE FROM " + chunks + " WHERE model = ? AND version = ?";
  }

  /** The store of {@code model} on the node's one session and keyspace. */
  public static ModelVersionStore create(ActorSystem<?> system, String model) {
    return new ModelVersionStore(
        CassandraStore.session(system), CassandraStore.keyspace(system), model);
  }

  public String model() {
    return model;
  }

  /**
   * Stores a version and its bytes (an empty blob is allowed, e.g. for a rollback record). Retrying
   * an append that failed or timed out is safe: the same version with the same bytes completes as
   * if it were the first. Fails with {@link ModelStoreException} when the version name or the seq
   * is already taken by something else.
   */
  public CompletionStage<VersionRecord> append(VersionMeta meta, byte[] blob) {
    BlobChunks chunks = BlobChunks.of(blob, chunkSize);
    VersionRecord record = VersionRecord.of(meta, chunks);
    return checkFree(record)
        .thenCompose(
            d ->
                write(
                    insertHeader,
                    model,
                    record.version(),
                    record.seq(),
                    record.chunks(),
                    record.bytes(),
                    record.sha256()))
        .thenCompose(d -> writeChunks(record.version(), chunks))
        .thenCompose(d -> insertRow(record));
  }

  /**
   * The bytes of a published version, checked against the chunk count, size and SHA-256 in its
   * version row. Fails with {@link ModelStoreException} when no such version was published or its
   * bytes are damaged.
   */
  public CompletionStage<byte[]> load(String version) {
    return find(version)
        .thenCompose(
            found -> {
              VersionRecord record =
                  found.orElseThrow(
                      () ->
                          new ModelStoreException(
                              "model " + model + " has no published version " + version));
              return read(selectChunks, CHUNK_PAGE, model, version)
                  .thenApply(
                      rows -> {
                        SortedMap<Integer, ByteBuffer> data = new TreeMap<>();
                        for (Row row : rows) {
                          // A partition holding only its header reads back as one row with a null
                          // chunk.
                          if (!row.isNull("chunk")) {
                            data.put(
                                row.getInt("chunk"),
                                row.isNull("data")
                                    ? ByteBuffer.allocate(0)
                                    : row.getByteBuffer("data"));
                          }
                        }
                        return BlobChunks.assemble(
                            version, record.chunks(), record.bytes(), record.sha256(), data);
                      });
            });
  }

  /** The published version of that name, if any. */
  public CompletionStage<Optional<VersionRecord>> find(String version) {
    return seqOf(version)
        .thenCompose(
            seq ->
                seq.isEmpty()
                    ? CompletableFuture.completedFuture(Optional.<VersionRecord>empty())
                    : selectOne(selectBySeq, model, seq.getAsLong())
                        .thenApply(
                            row ->
                                row.map(ModelVersionStore::toRecord)
                                    .filter(r -> r.version().equals(version))));
  }

  /** The newest {@code limit} versions, newest first, whatever their kind and status. */
  public CompletionStage<List<VersionRecord>> history(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    return read(selectNewest + " LIMIT ?", ROW_PAGE, model, limit)
        .thenApply(rows -> rows.stream().map(ModelVersionStore::toRecord).toList());
  }

  /**
   * What {@code GET /v1/model} lists: the newest {@code newest} versions, newest first, then every
   * older canary candidate still stored ({@link VersionRecord#candidate()}; pruning keeps the
   * newest few whatever their outcome), so a rollout's rolled-back candidate stays in sight after
   * the learner has published past it. Reads the model's whole version list (metadata only; pruning
   * bounds it to a few hundred rows).
   */
  public CompletionStage<List<VersionRecord>> listed(int newest) {
    if (newest < 1) {
      throw new IllegalArgumentException("newest must be at least 1, was " + newest);
    }
    return read(selectNewest, ROW_PAGE, model)
        .thenApply(
            rows -> {
              List<VersionRecord> out = new ArrayList<>();
              for (Row row : rows) {
                VersionRecord r = toRecord(row);
                if (out.size() < newest || r.candidate()) {
                  out.add(r);
                }
              }
              return out;
            });
  }

  /** The newest good checkpoint: where serving or a resumed learner starts. */
  public CompletionStage<Optional<VersionRecord>> newestCheckpoint() {
    // Pages newest first and stops at the first match: between checkpoints lie at most K versions.
    return bind(selectNewest, model)
        .thenCompose(
            st ->
                session
                    .underlying()
                    .thenCompose(s -> s.executeAsync(st.setPageSize(ROW_PAGE)))
                    .thenCompose(
                        page ->
                            firstMatching(
                                page,
                                r ->
                                    r.kind() == VersionKind.CHECKPOINT
                                        && r.status() == VersionStatus.GOOD)));
  }

  /**
   * Good deltas with a seq above {@code seq}, oldest first: apply them in this order on top of a
   * checkpoint.
   */
  public CompletionStage<List<VersionRecord>> deltasAfter(long seq) {
    return read(selectAfter, ROW_PAGE, model, seq)
        .thenApply(
            rows ->
                rows.stream()
                    .map(ModelVersionStore::toRecord)
                    .filter(r -> r.kind() == VersionKind.DELTA && r.status() == VersionStatus.GOOD)
                    .toList());
  }

  /**
   * Sets a published version's status, e.g. rolled_back. Fails with {@link ModelStoreException} if
   * there is none.
   */
  public CompletionStage<Done> markStatus(String version, VersionStatus status) {
    return seqOf(version)
        .thenCompose(
            seq -> {
              if (seq.isEmpty()) {
                throw new ModelStoreException(
                    "model " + model + " has no published version " + version);
              }
              return selectOne(updateStatus, status.storedName(), model, seq.getAsLong(), version);
            })
        .thenApply(
            row -> {
              if (!row.map(r -> r.getBoolean("[applied]")).orElse(false)) {
                throw new ModelStoreException(
                    "model " + model + " has no published version " + version);
              }
              return Done.getInstance();
            });
  }

  /** The seq of the newest version, of any kind and status; empty while the model has none. */
  /**
   * Deletes a version: its row first (so it is never listed without its bytes), then its bytes'
   * partition. See {@link VersionPruning} for which versions may go.
   */
  public CompletionStage<Done> delete(VersionRecord record) {
    return write(deleteVersion, model, record.seq())
        .thenCompose(d -> write(deleteChunks, model, record.version()));
  }

  public CompletionStage<OptionalLong> latestSeq() {
    return selectOne(selectLatestSeq, model)
        .thenApply(
            row -> row.map(r -> OptionalLong.of(r.getLong("seq"))).orElse(OptionalLong.empty()));
  }

  /**
   * Refuses, before any chunk is written, a name or seq that belongs to another version, so a
   * refused append leaves nothing behind. The conditional insert of the row still guards the seq
   * against a racing writer.
   */
  private CompletionStage<Done> checkFree(VersionRecord record) {
    CompletionStage<Done> name =
        selectOne(selectHeader, model, record.version())
            .thenApply(
                header -> {
                  header
                      .filter(h -> !h.isNull("seq"))
                      .ifPresent(
                          h -> {
                            // The same seq and bytes again is a retry of this very append; anything
                            // else would overwrite a version.
                            if (h.getLong("seq") != record.seq()
                                || !record.sha256().equals(h.getString("sha256"))) {
                              throw new ModelStoreException(
                                  "model "
                                      + model
                                      + " already has a version named "
                                      + record.version()
                                      + " (seq "
                                      + h.getLong("seq")
                                      + ")");
                            }
                          });
                  return Done.getInstance();
                });
    return name.thenCompose(d -> selectOne(selectBySeq, model, record.seq()))
        .thenApply(
            row -> {
              row.map(ModelVersionStore::toRecord)
                  .filter(r -> !r.version().equals(record.version()))
                  .ifPresent(
                      r -> {
                        throw new ModelStoreException(
                            "model "
                                + model
                                + " seq "
                                + record.seq()
                                + " is already taken by version "
                                + r.version());
                      });
              return Done.getInstance();
            });
  }

  private CompletionStage<Done> writeChunks(String version, BlobChunks chunks) {
    // Waves of WRITE_PARALLELISM writes; a chain of stages, not recursion, so no blob size strains
    // the stack.
    CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
    for (int from = 0; from < chunks.count(); from += WRITE_PARALLELISM) {
      int start = from;
      chain =
          chain.thenCompose(
              d -> {
                int end = Math.min(start + WRITE_PARALLELISM, chunks.count());
                CompletableFuture<?>[] wave = new CompletableFuture<?>[end - start];
                for (int i = start; i < end; i++) {
                  wave[i - start] =
                      write(insertChunk, model, version, i, chunks.chunk(i)).toCompletableFuture();
                }
                return CompletableFuture.allOf(wave).thenApply(v -> Done.getInstance());
              });
    }
    return chain;
  }

  private CompletionStage<VersionRecord> insertRow(VersionRecord r) {
    return bind(
            insertVersion,
            model,
            r.seq(),
            r.version(),
            r.baseVersion(),
            r.kind().storedName(),
            r.createdAt(),
            r.status().storedName(),
            r.metrics(),
            r.kafkaOffsets(),
            r.chunks(),
            r.bytes(),
            r.sha256())
        .thenCompose(session::selectOne)
        .thenApply(
            row -> {
              Row result =
                  row.orElseThrow(
                      () -> new IllegalStateException("a conditional insert answered no row"));
              if (result.getBoolean("[applied]")) {
                return r;
              }
              // Not applied: the row that is there comes back with the answer.
              VersionRecord existing = toRecord(result);
              if (existing.version().equals(r.version()) && existing.sha256().equals(r.sha256())) {
                return existing;
              }
              throw new ModelStoreException(
                  "model "
                      + model
                      + " seq "
                      + r.seq()
                      + " is already taken by version "
                      + existing.version());
            });
  }

  private CompletionStage<OptionalLong> seqOf(String version) {
    return selectOne(selectHeader, model, version)
        .thenApply(
            row ->
                row.filter(r -> !r.isNull("seq"))
                    .map(r -> OptionalLong.of(r.getLong("seq")))
                    .orElse(OptionalLong.empty()));
  }

  private CompletionStage<Optional<VersionRecord>> firstMatching(
      AsyncResultSet page, Predicate<VersionRecord> wanted) {
    for (Row row : page.currentPage()) {
      VersionRecord r = toRecord(row);
      if (wanted.test(r)) {
        return CompletableFuture.completedFuture(Optional.of(r));
      }
    }
    return page.hasMorePages()
        ? page.fetchNextPage().thenCompose(next -> firstMatching(next, wanted))
        : CompletableFuture.completedFuture(Optional.empty());
  }

  private CompletionStage<BoundStatement> bind(String cql, Object... values) {
    // Every statement may be retried by the driver: plain writes carry whole values, and a
    // conditional write
    // that already went through answers "not applied" with our own row, which the callers accept as
    // done.
    return prepare(cql)
        .thenApply(
            ps ->
                ps.bind(values)
                    .setConsistencyLevel(CONSISTENCY)
                    .setSerialConsistencyLevel(SERIAL)
                    .setIdempotent(true));
  }

  private CompletionStage<PreparedStatement> prepare(String cql) {
    return prepared.computeIfAbsent(cql, q -> new PreparedOnce(session, q)).get();
  }

  private CompletionStage<Done> write(String cql, Object... values) {
    return bind(cql, values).thenCompose(session::executeWrite);
  }

  private CompletionStage<Optional<Row>> selectOne(String cql, Object... values) {
    return bind(cql, values).thenCompose(session::selectOne);
  }

  private CompletionStage<List<Row>> read(String cql, int pageSize, Object... values) {
    return bind(cql, values).thenCompose(st -> session.selectAll(st.setPageSize(pageSize)));
  }

  private static VersionRecord toRecord(Row row) {
    return new VersionRecord(
        row.getLong("seq"),
        row.getString("version"),
        row.getString("base_version"),
        VersionKind.fromStoredName(row.getString("kind")),
        row.getInstant("created_at"),
        VersionStatus.fromStoredName(row.getString("status")),
        row.getMap("metrics", String.class, Double.class),
        row.getMap("kafka_offsets", Integer.class, Long.class),
        row.getInt("chunks"),
        row.getLong("bytes"),
        row.getString("sha256"));
  }
}
