package pulse.engine.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class KafkaTopicsTest {

  @Test
  void theShardCountIsThePartitionCountTheBrokerAndConfigAgreeOn() {
    assertEquals(32, KafkaTopics.shardCount("user-events", 32, OptionalInt.of(32)));
  }

  @Test
  void withoutTheBrokersAnswerTheConfiguredCountStands() {
    assertEquals(32, KafkaTopics.shardCount("user-events", 32, OptionalInt.empty()));
  }

  @Test
  void aMismatchStopsTheNodeSayingBothCounts() {
    var e =
        assertThrows(
            IllegalStateException.class,
            () -> KafkaTopics.shardCount("user-events", 32, OptionalInt.of(16)));
    assertTrue(e.getMessage().contains("16 partitions on the broker"), e.getMessage());
    assertTrue(e.getMessage().contains("declares 32"), e.getMessage());
  }
}
