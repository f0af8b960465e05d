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

class TrendingSettingsTest {

  @Test
  void theDefaultsWeighByTheSharedTable() {
    TrendingSettings s = TrendingSettings.defaults();
    assertEquals(Duration.ofHours(1), s.halfLife());
    assertEquals(50_000, s.maxItems());
    assertEquals(5.0, s.weight(EventType.PURCHASE));
    assertEquals(3.0, s.weight(EventType.ADD_TO_CART));
    assertEquals(2.0, s.weight(EventType.CLICK));
    assertEquals(2.0, s.weight(EventType.RATING));
    assertEquals(1.0, s.weight(EventType.VIEW));
    assertEquals(0.0, s.weight(EventType.IMPRESSION));
    assertEquals(0.0, s.weight(EventType.SEARCH));
  }

  @Test
  void anOverrideOfTheSharedTableReachesTrendingUnlessTrendingHasItsOwn() {
    Config shared =
        ConfigFactory.load(ConfigFactory.parseString("pulse.event-weights.purchase = 9"));
    assertEquals(9.0, TrendingSettings.fromConfig(shared).weight(EventType.PURCHASE));
    Config own =
        ConfigFactory.load(
            ConfigFactory.parseString(
                "pulse.event-weights.purchase = 9, pulse.recommend.trending.weights.purchase = 4"));
    assertEquals(4.0, TrendingSettings.fromConfig(own).weight(EventType.PURCHASE));
    assertEquals(1.0, TrendingSettings.fromConfig(own).weight(EventType.VIEW));
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
