package pulse.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.model.TrainingBatch;
import pulse.model.train.BatchBuilder;
import pulse.model.train.NegativeSampler;

class GapBucketsTest {

  @Test
  void bucketsAreLog2MinutesAfterTheFirstEvent() {
    assertEquals(2, GapBuckets.bucket(0)); // same minute
    assertEquals(2, GapBuckets.bucket(59));
    assertEquals(3, GapBuckets.bucket(60)); // 1 minute: log2(2) = 1
    assertEquals(4, GapBuckets.bucket(3 * 60)); // 3 minutes: log2(4) = 2
    assertEquals(8, GapBuckets.bucket(63 * 60)); // 63 minutes: log2(64) = 6
    assertEquals(GapBuckets.COUNT, GapBuckets.bucket(365L * 24 * 3600)); // capped
    assertArrayEquals(new int[] {1, 2, 3}, GapBuckets.of(new long[] {1000, 1010, 1070}));
  }

  @Test
  void movielensReaderCarriesGapsAndBatchesAlignThem(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("u.data");
    Files.writeString(f, "1\t10\t5\t0\n1\t11\t3\t60\n1\t12\t4\t240\n");
    UserSequences s = DatasetReader.read(f, DatasetFormat.MOVIELENS);
    assertArrayEquals(new int[] {1, 3, 4}, s.gapBuckets()[0]);
    BatchBuilder b =
        new BatchBuilder(
            s.sequences(),
            new int[][] {{1, 2, 3}},
            4,
            1,
            new NegativeSampler(3, 1),
            s.gapBuckets());
    TrainingBatch batch = b.build(new int[] {0}, 0, 1);
    assertArrayEquals(new int[] {0, 0, 1, 2}, batch.items());
    assertArrayEquals(new int[] {0, 0, 1, 3}, batch.gapBuckets(), "gap of each input item");
  }
}
