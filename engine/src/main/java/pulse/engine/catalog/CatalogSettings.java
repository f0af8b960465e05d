package pulse.engine.catalog;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code pulse.catalog} (defaults in the engine's pulse/engine/catalog.conf). */
public record CatalogSettings(int cacheSize, Duration cacheTtl, int writeParallelism) {

  public CatalogSettings {
    if (cacheSize < 1 || writeParallelism < 1 || cacheTtl.isNegative() || cacheTtl.isZero()) {
      throw new IllegalArgumentException(
          "pulse.catalog settings must be positive: cache-size "
              + cacheSize
              + ", cache-ttl "
              + cacheTtl
              + ", write-parallelism "
              + writeParallelism);
    }
  }

  public static CatalogSettings fromConfig(Config config) {
    Config c = config.getConfig("pulse.catalog");
    return new CatalogSettings(
        c.getInt("cache-size"), c.getDuration("cache-ttl"), c.getInt("write-parallelism"));
  }
}
