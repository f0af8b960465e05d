package pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbBenchTest {
  @Test
  void theDefaultsAreTheFullRun() {
    AbBench.Options o = AbBench.parse(new String[0]);
    assertEquals(MovieLens100k.DEFAULT_FOLDER, o.data());
    assertEquals(3, o.nodes());
    assertEquals(0.5, o.trainShare());
    assertEquals(List.of(20, 50, 100), o.steps());
    assertEquals(3, o.maxLooks());
    assertEquals(false, o.retrain());
  }

  @Test
  void flagsOverrideTheDefaults() {
    AbBench.Options o =
        AbBench.parse(
            new String[] {
              "--data",
              "/tmp/ml",
              "--nodes",
              "2",
              "--steps",
              "10, 50,100",
              "--retrain",
              "--margin",
              "0.02"
            });
    assertEquals(Path.of("/tmp/ml"), o.data());
    assertEquals(2, o.nodes());
    assertEquals(List.of(10, 50, 100), o.steps());
    assertTrue(o.retrain());
    assertEquals(0.02, o.margin());
  }

  @Test
  void badFlagsAreRefusedNamingThem() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AbBench.parse(new String[] {"--nodes"}));
    assertTrue(e.getMessage().contains("--nodes"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AbBench.parse(new String[] {"--train-share", "1"}));
    assertTrue(e.getMessage().contains("--train-share"), e.getMessage());
  }
}
