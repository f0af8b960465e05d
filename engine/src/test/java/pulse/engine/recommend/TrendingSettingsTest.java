package pulse.engine.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import pulse.engine.event.EventType;
import pulse.infra.PulseConfig;

class TrendingSettingsTest {

  @Test
  void theShippedConfigIsTheDefaults() {
    Config shipped =
        ConfigFactory.parseFile(PulseConfig.home().resolve("conf/model.conf").toFile()).resolve();
    assertEquals(TrendingSettings.defaults(), TrendingSettings.fromConfig(shipped));
  }

  @Test
  void aTypeLeftOutWeighsNothing() {
    TrendingSettings s =
        TrendingSettings.fromConfig(
            ConfigFactory.parseString(
                "pulse.recommend.trending { half-life = 30m, max-items = 10, weights { purchase = 4.5 } }"));
    assertEquals(Duration.ofMinutes(30), s.halfLife());
    assertEquals(10, s.maxItems());
    assertEquals(4.5, s.weight(EventType.PURCHASE));
    assertEquals(0.0, s.weight(EventType.VIEW));
  }

  @Test
  void aMisspeltTypeIsAnErrorNamingIt() {
    var e =
        assertThrows(
            ConfigException.BadValue.class,
            () ->
                TrendingSettings.fromConfig(
                    ConfigFactory.parseString(
                        "pulse.recommend.trending { half-life = 1h, max-items = 10, weights { purchases = 5 } }")));
    assertTrue(
        e.getMessage().contains("pulse.recommend.trending.weights.purchases"), e.getMessage());
  }

  @Test
  void nonPositiveBoundsAndNegativeWeightsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TrendingSettings.fromConfig(
                ConfigFactory.parseString(
                    "pulse.recommend.trending { half-life = 0s, max-items = 10, weights {} }")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TrendingSettings.fromConfig(
                ConfigFactory.parseString(
                    "pulse.recommend.trending { half-life = 1h, max-items = 0, weights {} }")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TrendingSettings.fromConfig(
                ConfigFactory.parseString(
                    "pulse.recommend.trending { half-life = 1h, max-items = 1, weights { view = -1 } }")));
  }
}
