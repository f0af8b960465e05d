package pulse.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaveOneOutSplitTest {

  @Test
  void lastIsTestSecondLastIsValidationRestIsTraining() {
    LeaveOneOutSplit s = LeaveOneOutSplit.of(new int[][] {{5, 6, 7, 8}, {1, 2}});
    assertArrayEquals(new int[] {5, 6}, s.train()[0]);
    assertEquals(7, s.valid()[0]);
    assertEquals(8, s.test()[0]);
    assertArrayEquals(new int[] {5, 6, 7}, s.testInput(0));
    assertTrue(s.evaluable(0));
    // too short to hold anything out: training only
    assertArrayEquals(new int[] {1, 2}, s.train()[1]);
    assertFalse(s.evaluable(1));
  }

  @Test
  void sasrecFormatKeepsFileOrderAndMapsIds(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("d.txt");
    Files.writeString(f, "u1 10\nu2 20\nu1 30\nu1 10\n");
    UserSequences s = DatasetReader.read(f, DatasetFormat.SASREC);
    assertEquals(2, s.users());
    assertEquals(3, s.items().size());
    assertArrayEquals(new int[] {1, 3, 1}, s.sequences()[0]);
    assertEquals("30", s.items().externalId(3));
  }

  @Test
  void movielensSortsEachUserByTimestamp(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("u.data");
    Files.writeString(f, "1\t50\t5\t300\n1\t60\t3\t100\n2\t50\t4\t50\n1\t70\t4\t200\n");
    UserSequences s = DatasetReader.read(f, DatasetFormat.MOVIELENS);
    // items numbered in first-seen order: 50->1, 60->2, 70->3; user 1 by time: 60, 70, 50
    assertArrayEquals(new int[] {2, 3, 1}, s.sequences()[0]);
    assertArrayEquals(new int[] {1}, s.sequences()[1]);
  }

  @Test
  void frozenVocabularyDropsUnknownItems(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("d.txt");
    Files.writeString(f, "u1 10\nu1 99\nu1 20\n");
    ItemVocabulary v = ItemVocabulary.of(List.of("10", "20"));
    UserSequences s = DatasetReader.read(f, DatasetFormat.SASREC, v);
    assertArrayEquals(new int[] {1, 2}, s.sequences()[0]);
  }
}
