package pulse.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class IngestBenchTest {

  @Test
  void recordsAreGroupedPerPartitionInOffsetOrder() {
    int[] partitionOf = {1, 0, 1, 1, 0};
    long[] offsetOf = {7, 3, 5, 9, 2};
    int[][] byPartition = IngestBench.recordsByPartition(partitionOf, offsetOf, 3);
    assertArrayEquals(new int[] {4, 1}, byPartition[0]);
    assertArrayEquals(new int[] {2, 0, 3}, byPartition[1]);
    assertArrayEquals(new int[] {}, byPartition[2]);
  }
}
