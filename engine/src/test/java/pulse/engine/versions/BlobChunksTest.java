package pulse.engine.versions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BlobChunksTest {
  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static SortedMap<Integer, ByteBuffer> chunksOf(BlobChunks c) {
    SortedMap<Integer, ByteBuffer> m = new TreeMap<>();
    for (int i = 0; i < c.count(); i++) {
      m.put(i, c.chunk(i));
    }
    return m;
  }

  @Test
  void cutsAOnePointThreeMegabyteBlobIntoThreeChunksAndBack() {
    byte[] blob = random(1_300_000);
    BlobChunks c = BlobChunks.of(blob, ModelVersionStore.CHUNK_SIZE);
    assertEquals(3, c.count());
    assertEquals(524_288, c.chunk(0).remaining());
    assertEquals(524_288, c.chunk(1).remaining());
    assertEquals(1_300_000 - 2 * 524_288, c.chunk(2).remaining());
    assertTrue(c.chunk(0).isReadOnly());
    assertArrayEquals(blob, BlobChunks.assemble("v1", 3, 1_300_000, c.sha256(), chunksOf(c)));
  }

  @Test
  void anExactMultipleNeedsNoExtraChunk() {
    assertEquals(2, BlobChunks.of(new byte[1024], 512).count());
    assertEquals(3, BlobChunks.of(new byte[1025], 512).count());
  }

  @Test
  void anEmptyBlobHasNoChunks() {
    BlobChunks c = BlobChunks.of(new byte[0], 512);
    assertEquals(0, c.count());
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", c.sha256());
    assertArrayEquals(new byte[0], BlobChunks.assemble("v0", 0, 0, c.sha256(), new TreeMap<>()));
  }

  @Test
  void theHashIsLowerCaseHexSha256() {
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        BlobChunks.of("abc".getBytes(StandardCharsets.US_ASCII), 2).sha256());
  }

  @Test
  void aMissingChunkIsNamed() {
    BlobChunks c = BlobChunks.of(random(1500), 512);
    SortedMap<Integer, ByteBuffer> chunks = chunksOf(c);
    chunks.remove(1);
    ModelStoreException e =
        assertThrows(
            ModelStoreException.class,
            () -> BlobChunks.assemble("v7", 3, 1500, c.sha256(), chunks));
    assertEquals(
        "model version v7 is incomplete: chunk(s) [1] of 3 missing (an append cut short, or chunks deleted)",
        e.getMessage());
  }

  @Test
  void aFlippedByteFailsTheHash() {
    byte[] blob = random(1500);
    BlobChunks c = BlobChunks.of(blob, 512);
    SortedMap<Integer, ByteBuffer> chunks = chunksOf(c);
    byte[] damaged = new byte[512];
    chunks.get(1).duplicate().get(damaged);
    damaged[100] ^= 1;
    chunks.put(1, ByteBuffer.wrap(damaged));
    ModelStoreException e =
        assertThrows(
            ModelStoreException.class,
            () -> BlobChunks.assemble("v7", 3, 1500, c.sha256(), chunks));
    assertTrue(
        e.getMessage().startsWith("model version v7 is damaged: SHA-256 of its 1500 bytes is "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith(c.sha256() + " was written"), e.getMessage());
  }

  @Test
  void aShortChunkOrASurplusChunkIsDamage() {
    BlobChunks c = BlobChunks.of(random(1500), 512);
    SortedMap<Integer, ByteBuffer> shortened = chunksOf(c);
    shortened.put(2, ByteBuffer.wrap(new byte[10]));
    assertEquals(
        "model version v7 is damaged: its chunks hold 1034 bytes, 1500 were written",
        assertThrows(
                ModelStoreException.class,
                () -> BlobChunks.assemble("v7", 3, 1500, c.sha256(), shortened))
            .getMessage());
    SortedMap<Integer, ByteBuffer> surplus = chunksOf(c);
    surplus.put(3, ByteBuffer.wrap(new byte[1]));
    assertEquals(
        "model version v7 is damaged: 4 chunks stored where 3 were written",
        assertThrows(
                ModelStoreException.class,
                () -> BlobChunks.assemble("v7", 3, 1500, c.sha256(), surplus))
            .getMessage());
  }

  @Test
  void assemblingLeavesTheChunkBuffersAsTheyWere() {
    BlobChunks c = BlobChunks.of(random(700), 512);
    SortedMap<Integer, ByteBuffer> chunks = chunksOf(c);
    BlobChunks.assemble("v", 2, 700, c.sha256(), chunks);
    assertEquals(512, chunks.get(0).remaining());
  }

  @Test
  void refusesNoBlobAndSillyChunkSizes() {
    assertThrows(IllegalArgumentException.class, () -> BlobChunks.of(null, 512));
    assertThrows(IllegalArgumentException.class, () -> BlobChunks.of(new byte[1], 0));
  }
}
