package pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeapMeterTest {
  /**
   * 20,000 live arrays of 1 KiB each (16-byte header + 126 longs), held by a list: the meter must
   * give 1 KiB each, within 5% (the list's references add 4-8 bytes per array).
   */
  @Test
  void aKnownNumberOfKnownObjectsMeasuresAsTheirSize() {
    long before = HeapMeter.liveBytes();
    List<long[]> held = new ArrayList<>(20_000);
    for (int i = 0; i < 20_000; i++) {
      held.add(new long[126]);
    }
    long after = HeapMeter.liveBytes();
    assertEquals(1.0, HeapMeter.kibPerObject(before, after, held.size()), 0.05);
    assertEquals(20_000, held.size()); // keeps them live until after the second reading
  }

  @Test
  void garbageMadeBetweenTheReadingsIsNotCounted() {
    long before = HeapMeter.liveBytes();
    long sum = 0;
    for (int i = 0; i < 20_000; i++) {
      sum += new long[126].length;
    }
    long after = HeapMeter.liveBytes();
    assertEquals(20_000L * 126, sum);
    assertEquals(0.0, HeapMeter.kibPerObject(before, after, 20_000), 0.05);
  }

  @Test
  void noObjectsIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> HeapMeter.kibPerObject(0, 1024, 0));
  }
}
