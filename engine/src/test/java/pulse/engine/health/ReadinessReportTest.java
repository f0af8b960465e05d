package pulse.engine.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.engine.health.Readiness.Check;
import pulse.engine.health.Readiness.Report;

class ReadinessReportTest {
  private static final Check CLUSTER_UP = new Check("cluster", true, true, "member Up");
  private static final Check CASSANDRA_UP = new Check("cassandra", true, true, "release 5");
  private static final Check KAFKA_UP = new Check("kafka", true, false, "1 broker(s)");
  private static final Check KAFKA_DOWN = new Check("kafka", false, false, "no answer");

  @Test
  void everythingUpIsReadyAndNotDegraded() {
    Report r = Report.of(List.of(CLUSTER_UP, CASSANDRA_UP, KAFKA_UP));
    assertTrue(r.ready());
    assertFalse(r.degraded());
  }

  @Test
  void anOptionalPartDownDegradesButKeepsTheNodeReady() {
    Report r = Report.of(List.of(CLUSTER_UP, CASSANDRA_UP, KAFKA_DOWN));
    assertTrue(r.ready());
    assertTrue(r.degraded());
  }

  @Test
  void aRequiredPartDownTakesTheNodeOutOfRotation() {
    Report r =
        Report.of(List.of(CLUSTER_UP, new Check("cassandra", false, true, "no answer"), KAFKA_UP));
    assertFalse(r.ready());
    assertFalse(r.degraded());
    Report draining =
        Report.of(
            List.of(
                CLUSTER_UP,
                CASSANDRA_UP,
                KAFKA_UP,
                new Check("draining", false, true, "stopping")));
    assertFalse(draining.ready());
  }
}
