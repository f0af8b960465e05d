package pulse.bench.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MicroBenchTest {

  @Test
  void benchmarksAreNamedByClassAndMethod() {
    assertEquals(
        "EventParseBench.parse500Events",
        MicroBench.shortName("pulse.bench.micro.EventParseBench.parse500Events"));
  }
}
