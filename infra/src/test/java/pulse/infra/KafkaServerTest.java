package pulse.infra;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class KafkaServerTest {

  /**
   * Without the guard, 2,000 draws hold a leading '-' with probability 1 - (63/64)^2000, about 1 -
   * 2e-14.
   */
  @Test
  void clusterIdsNeverLookLikeAnOption() {
    for (int i = 0; i < 2000; i++) {
      String id = KafkaServer.clusterId();
      assertFalse(id.startsWith("-"), id);
    }
  }
}
