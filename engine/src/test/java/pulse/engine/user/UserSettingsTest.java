package pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import pulse.engine.event.EventType;

class UserSettingsTest {

  private static Config reference(String overrides) {
    return ConfigFactory.load(ConfigFactory.parseString(overrides));
  }

  @Test
  void theShippedSettingsAreTheDefaults() {
    UserEntity.Settings s = UserSettings.from(reference(""));
    assertEquals(FeatureSettings.defaults(), s.features());
    assertEquals(200, s.features().recentCapacity());
    assertEquals(Duration.ofMinutes(30), s.features().sessionGap());
    assertEquals(100, s.snapshotEvery());
    assertEquals(5.0, s.features().affinityWeights().get(EventType.PURCHASE));
    assertEquals(1.0, s.features().affinityWeights().get(EventType.VIEW));
    assertEquals(0.0, s.features().affinityWeights().getOrDefault(EventType.IMPRESSION, 0.0));
  }

  @Test
  void affinitiesWeighByTheSharedTableUnlessGivenTheirOwn() {
    assertEquals(
        7.0,
        UserSettings.from(reference("pulse.event-weights.click = 7"))
            .features()
            .affinityWeights()
            .get(EventType.CLICK));
    assertEquals(
        0.5,
        UserSettings.from(
                reference("pulse.event-weights.click = 7, pulse.user.affinity-weights.click = 0.5"))
            .features()
            .affinityWeights()
            .get(EventType.CLICK));
  }
}
