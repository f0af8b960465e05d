package pulse.engine.versions;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;

/**
 * A model blob cut into fixed-size chunks, with its SHA-256; and the way back, which refuses a blob
 * whose chunks are missing, surplus, of the wrong total size or of the wrong hash. Pure, so every
 * damage case is unit-tested without Cassandra.
 */
final class BlobChunks {
  private final byte[] blob;
  private final int chunkSize;
  private final String sha256;

  private BlobChunks(byte[] blob, int chunkSize) {
    this.blob = blob;
    this.chunkSize = chunkSize;
    this.sha256 = sha256(blob);
  }

  static BlobChunks of(byte[] blob, int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunk size must be at least 1, was " + chunkSize);
    }
    if (blob == null) {
      throw new IllegalArgumentException("no blob given (an empty one is fine)");
    }
    return new BlobChunks(blob, chunkSize);
  }

  /** Chunks needed; 0 for an empty blob (a rollback record may carry no bytes). */
  int count() {
    return (int) ((blob.length + (long) chunkSize - 1) / chunkSize);
  }

  long bytes() {
    return blob.length;
  }

  String sha256() {
    return sha256;
  }

  /** A read-only view of chunk {@code i}, without copying: a checkpoint can be hundreds of MB. */
  ByteBuffer chunk(int i) {
    if (i < 0 || i >= count()) {
      throw new IndexOutOfBoundsException("chunk " + i + " of " + count());
    }
    int from = i * chunkSize;
    return ByteBuffer.wrap(blob, from, Math.min(chunkSize, blob.length - from))
        .slice()
        .asReadOnlyBuffer();
  }

  /**
   * The blob back from its stored chunks (chunk index to data), checked against what was stored
   * about it.
   *
   * @throws ModelStoreException naming what is wrong: missing or surplus chunks, size, or hash
   */
  static byte[] assemble(
      String version,
      int expectedChunks,
      long expectedBytes,
      String expectedSha256,
      SortedMap<Integer, ByteBuffer> chunks) {
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < expectedChunks; i++) {
      if (!chunks.containsKey(i)) {
        missing.add(i);
      }
    }
    if (!missing.isEmpty()) {
      throw new ModelStoreException(
          "model version "
              + version
              + " is incomplete: chunk(s) "
              + shortList(missing)
              + " of "
              + expectedChunks
              + " missing (an append cut short, or chunks deleted)");
    }
    if (chunks.size() > expectedChunks) {
      throw new ModelStoreException(
          "model version "
              + version
              + " is damaged: "
              + chunks.size()
              + " chunks stored where "
              + expectedChunks
              + " were written");
    }
    long total = 0;
    for (ByteBuffer b : chunks.values()) {
      total += b.remaining();
    }
    if (total != expectedBytes || total > Integer.MAX_VALUE) {
      throw new ModelStoreException(
          "model version "
              + version
              + " is damaged: its chunks hold "
              + total
              + " bytes, "
              + expectedBytes
              + " were written");
    }
    byte[] out = new byte[(int) total];
    int at = 0;
    for (ByteBuffer b : chunks.values()) {
      int n = b.remaining();
      b.duplicate().get(out, at, n);
      at += n;
    }
    String actual = sha256(out);
    if (!actual.equals(expectedSha256)) {
      throw new ModelStoreException(
          "model version "
              + version
              + " is damaged: SHA-256 of its "
              + total
              + " bytes is "
              + actual
              + ", "
              + expectedSha256
              + " was written");
    }
    return out;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String shortList(List<Integer> xs) {
    return xs.size() <= 10
        ? xs.toString()
        : xs.subList(0, 10) + " and " + (xs.size() - 10) + " more";
  }
}
