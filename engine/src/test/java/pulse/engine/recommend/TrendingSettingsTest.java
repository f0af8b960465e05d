package pulse.engine.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pulse.engine.event.EventType;

class TrendingSettingsTest {
  private static final String SHARING =
      "share-items = 5, share-per-category = 0, publish-interval = 1s, seed-timeout = 1s,"
          + " drop-node-after = 1h";

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
    assertEquals(
        new TrendingSettings.Sharing(
            1000, 20, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofHours(24)),
        s.sharing());
  }

  @Test
  void settingsThatWeighAndShareAlikeAreEqual() {
    TrendingSettings.Sharing sharing = TrendingSettings.defaults().sharing();
    assertEquals(
        new TrendingSettings(
            Duration.ofHours(1), 10, Map.of(EventType.VIEW, 1.0, EventType.SEARCH, 0.0), sharing),
        new TrendingSettings(Duration.ofHours(1), 10, Map.of(EventType.VIEW, 1.0), sharing));
    assertNotEquals(
        new TrendingSettings(Duration.ofHours(1), 10, Map.of(), sharing),
        new TrendingSettings(
            Duration.ofHours(1),
            10,
            Map.of(),
            new TrendingSettings.Sharing(
                1, 0, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofHours(24))));
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
                "pulse.recommend.trending { half-life = 30m, max-items = 10, weights { purchase = 4.5 }, "
                    + SHARING
                    + " }"));
    assertEquals(Duration.ofMinutes(30), s.halfLife());
    assertEquals(10, s.maxItems());
    assertEquals(4.5, s.weight(EventType.PURCHASE));
    assertEquals(0.0, s.weight(EventType.VIEW));
    assertEquals(5, s.sharing().items());
    assertEquals(0, s.sharing().perCategory());
  }

  @Test
  void aMisspeltTypeIsAnErrorNamingIt() {
    var e =
        assertThrows(
            ConfigException.BadValue.class,
            () ->
                TrendingSettings.fromConfig(
                    ConfigFactory.parseString(
                        "pulse.recommend.trending { half-life = 1h, max-items = 10, weights { purchases = 5 }, "
                            + SHARING
                            + " }")));
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
                    "pulse.recommend.trending { half-life = 0s, max-items = 10, weights {}, "
                        + SHARING
                        + " }")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TrendingSettings.fromConfig(
                ConfigFactory.parseString(
                    "pulse.recommend.trending { half-life = 1h, max-items = 0, weights {}, "
                        + SHARING
                        + " }")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TrendingSettings.fromConfig(
                ConfigFactory.parseString(
                    "pulse.recommend.trending { half-life = 1h, max-items = 1, weights { view = -1 }, "
                        + SHARING
                        + " }")));
  }

  @Test
  void nothingToShareAndNonPositiveIntervalsAreRefused() {
    for (String bad :
        List.of(
            "share-items = 0",
            "share-per-category = -1",
            "publish-interval = 0s",
            "seed-timeout = 0s",
            "drop-node-after = 0s")) {
      Config c =
          ConfigFactory.parseString(
              "pulse.recommend.trending { half-life = 1h, max-items = 1, weights {}, "
                  + SHARING
                  + " }");
      Config overridden =
          ConfigFactory.parseString("pulse.recommend.trending." + bad).withFallback(c);
      assertThrows(
          IllegalArgumentException.class, () -> TrendingSettings.fromConfig(overridden), bad);
    }
  }
}
