package pulse.engine.user;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code pulse.user} (conf/persistence.conf) as the entity's settings; windows and weights keep
 * their defaults.
 */
public final class UserSettings {
  private UserSettings() {}

  public static UserEntity.Settings from(Config config) {
    Config c = config.getConfig("pulse.user");
    FeatureSettings d = FeatureSettings.defaults();
    FeatureSettings features =
        new FeatureSettings(
            c.getInt("sequence-length"),
            d.sequenceTypes(),
            d.windows(),
            d.ctrWindows(),
            c.getDuration("allowed-lateness"),
            c.getDuration("affinity-short-half-life"),
            c.getDuration("affinity-long-half-life"),
            d.affinityWeights(),
            d.maxCategories(),
            c.getInt("top-categories"),
            c.getDuration("session-gap"),
            d.dwellEmaAlpha(),
            d.maxDevices(),
            c.getInt("dedup-max-ids"),
            c.getDuration("dedup-max-age"));
    return new UserEntity.Settings(
        features, c.getInt("snapshot-every"), c.getInt("keep-snapshots"));
  }

  public static Duration askTimeout(Config config) {
    return config.getDuration("pulse.user.ask-timeout");
  }
}
