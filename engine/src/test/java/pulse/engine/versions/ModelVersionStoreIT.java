package pulse.engine.versions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.typesafe.config.ConfigFactory;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.engine.storage.CassandraStore;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/**
 * The version store against the real Cassandra, with the tables created by the V005 migration that
 * the test extension applied (no DDL here). Each test uses its own model name, so tests share the
 * keyspace but no rows.
 */
@ExtendWith(RealInfraExtension.class)
class ModelVersionStoreIT {
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00.123456Z");
  private static ActorTestKit testKit;
  private static CassandraSession session;
  private static String keyspace;
  private String model;
  private ModelVersionStore store;

  @BeforeAll
  static void start(RealInfra infra) {
    testKit =
        ActorTestKit.create("model-version-store-it", infra.testNodeConfig(ConfigFactory.empty()));
    session = CassandraStore.session(testKit.system());
    keyspace = CassandraStore.keyspace(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void freshModel() {
    model = "it-" + UUID.randomUUID();
    store = ModelVersionStore.create(testKit.system(), model);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The failure of a stage that must fail, unwrapped. */
  private static Throwable failure(CompletionStage<?> stage) {
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> stage.toCompletableFuture().get(30, TimeUnit.SECONDS));
    return e.getCause();
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static VersionMeta meta(
      long seq, String version, String base, VersionKind kind, VersionStatus status) {
    return new VersionMeta(
        seq,
        version,
        base,
        kind,
        T0.plusSeconds(seq),
        status,
        Map.of("ndcg10", 0.3, "hr10", 0.5, "examples", 1000.0),
        Map.of(0, 100 * seq, 1, 50 * seq));
  }

  private VersionRecord append(
      long seq, String version, String base, VersionKind kind, VersionStatus status)
      throws Exception {
    return await(store.append(meta(seq, version, base, kind, status), random(100 + (int) seq)));
  }

  private static List<String> names(List<VersionRecord> records) {
    return records.stream().map(VersionRecord::version).toList();
  }

  @Test
  void roundTripsAOnePointThreeMegabyteBlobInThreeChunks() throws Exception {
    byte[] blob = random(1_300_000);
    VersionMeta meta =
        new VersionMeta(
            1,
            "v1",
            null,
            VersionKind.CHECKPOINT,
            T0,
            VersionStatus.GOOD,
            Map.of("ndcg10", 0.31, "hr10", 0.52),
            Map.of(0, 1234L, 3, 99L));
    VersionRecord stored = await(store.append(meta, blob));
    assertEquals(3, stored.chunks());
    assertEquals(1_300_000, stored.bytes());
    assertEquals(BlobChunks.sha256(blob), stored.sha256());

    assertArrayEquals(blob, await(store.load("v1")));
    VersionRecord found = await(store.find("v1")).orElseThrow();
    assertEquals(stored, found);
    assertEquals(T0.toEpochMilli(), found.createdAt().toEpochMilli());
    assertEquals(Map.of(0, 1234L, 3, 99L), found.kafkaOffsets());
    assertEquals(Map.of("ndcg10", 0.31, "hr10", 0.52), found.metrics());

    List<Row> chunks =
        await(
            session.selectAll(
                "SELECT chunk, data FROM "
                    + keyspace
                    + ".model_chunks WHERE model = ? AND version = ?",
                model,
                "v1"));
    assertEquals(List.of(0, 1, 2), chunks.stream().map(r -> r.getInt("chunk")).toList());
    assertEquals(
        List.of(524_288, 524_288, 251_424),
        chunks.stream().map(r -> r.getByteBuffer("data").remaining()).toList());
  }

  @Test
  void aDamagedChunkIsDetected() throws Exception {
    append(1, "v1", null, VersionKind.CHECKPOINT, VersionStatus.GOOD);
    byte[] blob = random(1_300_000);
    await(store.append(meta(2, "v2", null, VersionKind.CHECKPOINT, VersionStatus.GOOD), blob));
    byte[] damaged = Arrays.copyOfRange(blob, 524_288, 2 * 524_288);
    damaged[4711] ^= 0x20;
    await(
        session.executeWrite(
            "UPDATE "
                + keyspace
                + ".model_chunks SET data = ? WHERE model = ? AND version = ?"
                + " AND chunk = ?",
            ByteBuffer.wrap(damaged),
            model,
            "v2",
            1));

    ModelStoreException e = assertInstanceOf(ModelStoreException.class, failure(store.load("v2")));
    assertTrue(
        e.getMessage().startsWith("model version v2 is damaged: SHA-256 of its 1300000 bytes is "),
        e.getMessage());
    assertEquals(101, await(store.load("v1")).length, "other versions are unaffected");
  }

  @Test
  void aMissingChunkIsDetected() throws Exception {
    await(
        store.append(
            meta(1, "v1", null, VersionKind.CHECKPOINT, VersionStatus.GOOD), random(1_300_000)));
    await(
        session.executeWrite(
            "DELETE FROM "
                + keyspace
                + ".model_chunks WHERE model = ? AND version = ? AND chunk = ?",
            model,
            "v1",
            2));
    ModelStoreException e = assertInstanceOf(ModelStoreException.class, failure(store.load("v1")));
    assertEquals(
        "model version v1 is incomplete: chunk(s) [2] of 3 missing (an append cut short, or chunks deleted)",
        e.getMessage());
  }

  @Test
  void chunksWithoutAVersionRowAreNotAPublishedVersion() throws Exception {
    // What a crash between the chunks and the row leaves behind.
    await(
        session.executeWrite(
            "INSERT INTO "
                + keyspace
                + ".model_chunks (model, version, seq, chunks, bytes, sha256)"
                + " VALUES (?, ?, ?, ?, ?, ?)",
            model,
            "orphan",
            1L,
            1,
            3L,
            BlobChunks.sha256(new byte[] {1, 2, 3})));
    await(
        session.executeWrite(
            "INSERT INTO "
                + keyspace
                + ".model_chunks (model, version, chunk, data)"
                + " VALUES (?, ?, ?, ?)",
            model,
            "orphan",
            0,
            ByteBuffer.wrap(new byte[] {1, 2, 3})));
    assertEquals(
        "model " + model + " has no published version orphan",
        assertInstanceOf(ModelStoreException.class, failure(store.load("orphan"))).getMessage());
    assertEquals(OptionalLong.empty(), await(store.latestSeq()));
    assertTrue(await(store.find("orphan")).isEmpty());
  }

  @Test
  void aPrunedVersionIsGoneWithItsBytesAndTheOthersStay() throws Exception {
    append(1, "v1", null, VersionKind.CHECKPOINT, VersionStatus.GOOD);
    VersionRecord delta = append(2, "v2", "v1", VersionKind.DELTA, VersionStatus.GOOD);
    append(3, "v3", "v2", VersionKind.CHECKPOINT, VersionStatus.GOOD);
    await(store.delete(await(store.find("v1")).orElseThrow()));
    assertTrue(await(store.find("v1")).isEmpty());
    assertInstanceOf(ModelStoreException.class, failure(store.load("v1")));
    assertEquals(
        List.of("v3", "v2"),
        await(store.history(10)).stream().map(VersionRecord::version).toList());
    assertEquals(delta.bytes(), await(store.load("v2")).length, "the rest load as before");
  }

  @Test
  void loadingAnUnknownVersionFailsClearly() {
    assertEquals(
        "model " + model + " has no published version nope",
        assertInstanceOf(ModelStoreException.class, failure(store.load("nope"))).getMessage());
  }

  @Test
  void anEmptyBlobIsAVersionWithNoChunks() throws Exception {
    VersionRecord r =
        await(
            store.append(
                meta(1, "rb1", "v0", VersionKind.ROLLBACK, VersionStatus.GOOD), new byte[0]));
    assertEquals(0, r.chunks());
    assertEquals(0, r.bytes());
    assertArrayEquals(new byte[0], await(store.load("rb1")));
    assertEquals("v0", await(store.find("rb1")).orElseThrow().baseVersion());
  }

  @Test
  void historyIsNewestFirstAndLatestSeqIsTheTop() throws Exception {
    assertEquals(OptionalLong.empty(), await(store.latestSeq()));
    assertEquals(List.of(), await(store.history(10)));
    // Appended out of order on purpose: the clustering order, not the write order, sorts.
    for (long seq : new long[] {3, 1, 5, 2, 4}) {
      append(seq, "v" + seq, null, VersionKind.DELTA, VersionStatus.GOOD);
    }
    assertEquals(List.of("v5", "v4", "v3"), names(await(store.history(3))));
    assertEquals(List.of("v5", "v4", "v3", "v2", "v1"), names(await(store.history(100))));
    assertEquals(OptionalLong.of(5), await(store.latestSeq()));
  }

  @Test
  void theListedVersionsAreTheNewestThenEveryOlderCandidate() throws Exception {
    append(1, "v1", "v1", VersionKind.CHECKPOINT, VersionStatus.GOOD);
    append(2, "c2", null, VersionKind.CHECKPOINT, VersionStatus.ROLLED_BACK); // a candidate
    append(3, "v3", "v1", VersionKind.DELTA, VersionStatus.GOOD);
    append(4, "c4", null, VersionKind.CHECKPOINT, VersionStatus.GOOD); // promoted
    for (long seq = 5; seq <= 8; seq++) {
      append(seq, "v" + seq, "c4", VersionKind.DELTA, VersionStatus.GOOD);
    }
    assertEquals(List.of("v8", "v7", "v6", "c4", "c2"), names(await(store.listed(3))));
    assertEquals(VersionStatus.ROLLED_BACK, await(store.listed(3)).get(4).status());
    assertEquals(
        List.of("v8", "v7", "v6", "v5", "c4", "v3", "c2", "v1"), names(await(store.listed(20))));
  }

  @Test
  void newestGoodCheckpointAndTheGoodDeltasAfterIt() throws Exception {
    append(1, "c1", null, VersionKind.CHECKPOINT, VersionStatus.GOOD);
    append(2, "d2", "c1", VersionKind.DELTA, VersionStatus.GOOD);
    append(3, "c3", "d2", VersionKind.CHECKPOINT, VersionStatus.GOOD);
    append(4, "d4", "c3", VersionKind.DELTA, VersionStatus.GOOD);
    append(5, "d5", "d4", VersionKind.DELTA, VersionStatus.REJECTED);
    append(6, "d6", "d4", VersionKind.DELTA, VersionStatus.GOOD);
    append(7, "r7", "d4", VersionKind.ROLLBACK, VersionStatus.GOOD);
    append(8, "c8", "d6", VersionKind.CHECKPOINT, VersionStatus.REJECTED);
    append(9, "d9", "d4", VersionKind.DELTA, VersionStatus.GOOD);

    VersionRecord checkpoint = await(store.newestCheckpoint()).orElseThrow();
    assertEquals("c3", checkpoint.version(), "c8 was rejected");
    assertEquals(List.of("d4", "d6", "d9"), names(await(store.deltasAfter(checkpoint.seq()))));
    assertEquals(List.of("d2", "d4", "d6", "d9"), names(await(store.deltasAfter(0))));
    assertEquals(List.of(), names(await(store.deltasAfter(9))));

    await(store.markStatus("d6", VersionStatus.ROLLED_BACK));
    assertEquals(List.of("d4", "d9"), names(await(store.deltasAfter(checkpoint.seq()))));
  }

  @Test
  void noCheckpointYieldsNothing() throws Exception {
    assertTrue(await(store.newestCheckpoint()).isEmpty());
    append(1, "d1", null, VersionKind.DELTA, VersionStatus.GOOD);
    assertTrue(await(store.newestCheckpoint()).isEmpty());
  }

  @Test
  void theNewestCheckpointIsFoundBeyondTheFirstPage() throws Exception {
    append(1, "c1", null, VersionKind.CHECKPOINT, VersionStatus.GOOD);
    for (long seq = 2; seq <= 130; seq++) {
      append(seq, "d" + seq, null, VersionKind.DELTA, VersionStatus.GOOD);
    }
    assertEquals("c1", await(store.newestCheckpoint()).orElseThrow().version());
    assertEquals(129, await(store.deltasAfter(1)).size());
  }

  @Test
  void statusesChangeAndUnknownVersionsAreRefused() throws Exception {
    append(1, "v1", null, VersionKind.CHECKPOINT, VersionStatus.GOOD);
    append(2, "v2", "v1", VersionKind.DELTA, VersionStatus.GOOD);
    await(store.markStatus("v2", VersionStatus.REJECTED));
    assertEquals(VersionStatus.REJECTED, await(store.find("v2")).orElseThrow().status());
    await(store.markStatus("v2", VersionStatus.ROLLED_BACK));
    await(store.markStatus("v1", VersionStatus.ROLLED_BACK));
    assertEquals(
        List.of(VersionStatus.ROLLED_BACK, VersionStatus.ROLLED_BACK),
        await(store.history(10)).stream().map(VersionRecord::status).toList());
    assertTrue(await(store.newestCheckpoint()).isEmpty());
    assertEquals(
        "model " + model + " has no published version v3",
        assertInstanceOf(
                ModelStoreException.class, failure(store.markStatus("v3", VersionStatus.GOOD)))
            .getMessage());
  }

  @Test
  void aTakenSeqOrNameIsRefusedAndARetryIsHarmless() throws Exception {
    byte[] blob = random(700_000);
    VersionMeta v1 = meta(1, "v1", null, VersionKind.CHECKPOINT, VersionStatus.GOOD);
    VersionRecord first = await(store.append(v1, blob));
    assertEquals(first, await(store.append(v1, blob)), "the same append again is a no-op");

    assertEquals(
        "model " + model + " seq 1 is already taken by version v1",
        assertInstanceOf(
                ModelStoreException.class,
                failure(
                    store.append(
                        meta(1, "other", null, VersionKind.DELTA, VersionStatus.GOOD), random(10))))
            .getMessage());
    assertEquals(
        "model " + model + " already has a version named v1 (seq 1)",
        assertInstanceOf(
                ModelStoreException.class,
                failure(
                    store.append(
                        meta(2, "v1", null, VersionKind.DELTA, VersionStatus.GOOD), random(10))))
            .getMessage());

    assertArrayEquals(blob, await(store.load("v1")), "the refused appends wrote nothing");
    assertTrue(await(store.find("other")).isEmpty());
    assertEquals(List.of("v1"), names(await(store.history(10))));
  }

  @Test
  void modelsDoNotSeeEachOther() throws Exception {
    append(1, "v1", null, VersionKind.CHECKPOINT, VersionStatus.GOOD);
    ModelVersionStore other = ModelVersionStore.create(testKit.system(), model + "-other");
    assertEquals(OptionalLong.empty(), await(other.latestSeq()));
    assertInstanceOf(ModelStoreException.class, failure(other.load("v1")));
  }
}
