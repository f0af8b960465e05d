package pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LongHashSetTest {

  @Test
  void addContainsRemove() {
    LongHashSet s = new LongHashSet();
    assertTrue(s.add(5));
    assertFalse(s.add(5));
    assertTrue(s.contains(5));
    s.remove(5);
    assertFalse(s.contains(5));
    s.remove(5);
    assertEquals(0, s.size());
  }

  @Test
  void zeroIsStorable() {
    LongHashSet s = new LongHashSet();
    s.add(0);
    assertTrue(s.contains(0));
    s.remove(0);
    assertFalse(s.contains(0));
  }

  @Test
  void agreesWithHashSetUnderRandomChurnIncludingCollidingSlots() {
    Random random = new Random(11);
    LongHashSet s = new LongHashSet();
    Set<Long> reference = new HashSet<>();
    List<Long> present = new ArrayList<>();
    for (int step = 0; step < 200_000; step++) {
      // Multiples of 1024 share low bits: long probe runs that wrap, exercising backward-shift
      // deletion.
      long v = random.nextBoolean() ? random.nextInt(5_000) * 1024L : random.nextLong();
      if (random.nextInt(3) == 0 && !present.isEmpty()) {
        long gone = present.remove(random.nextInt(present.size()));
        s.remove(gone);
        reference.remove(gone);
      } else if (reference.add(v)) {
        assertTrue(s.add(v));
        present.add(v);
      } else {
        assertFalse(s.add(v));
      }
      assertEquals(reference.size(), s.size());
    }
    for (long v : reference) {
      assertTrue(s.contains(v));
    }
    for (int i = 0; i < 10_000; i++) {
      long v = random.nextInt(5_000) * 1024L;
      assertEquals(reference.contains(v), s.contains(v));
    }
  }
}
