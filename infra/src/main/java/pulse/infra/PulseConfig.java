package pulse.infra;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import pulse.infra.credentials.CassandraAuth;
import pulse.infra.credentials.KafkaSecurity;

/**
 * Loads Pulse's config the way every entry point does: the conf/ files over every module's
 * reference.conf (Pulse's defaults and the libraries').
 */
public final class PulseConfig {
  private PulseConfig() {}

  /** The repository root: {@code -Dpulse.home}, else the working directory. */
  public static Path home() {
    String home = System.getProperty("pulse.home");
    return Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
  }

  /**
   * {@code overrides} (highest), system properties, then {@code mainFile} (e.g. conf/local1.conf,
   * which includes application.conf), then reference.conf; environment substitutions apply. The
   * reference is merged unresolved and the whole resolved once, so a default defined from another
   * key (bootstrap-servers from host and port, a reader's topic from {@code pulse.kafka.topic})
   * follows an override of that key.
   */
  public static Config load(Path home, Path mainFile, Config overrides) {
    Path main = mainFile.isAbsolute() ? mainFile : home.resolve(mainFile);
    if (!Files.exists(main)) {
      throw new InfraException("config file not found: " + main);
    }
    ConfigFactory.invalidateCaches();
    Config config =
        overrides
            .withFallback(ConfigFactory.systemProperties())
            .withFallback(ConfigFactory.parseFile(main.toFile()))
            .withFallback(ConfigFactory.defaultReferenceUnresolved())
            .resolve();
    return withDataPlaneLogins(config);
  }

  /**
   * Checks {@code pulse.kafka.security} (a bad one stops the entry point here, naming the key) and
   * adds the DataStax driver's auth provider when {@code pulse.cassandra.auth} has a login, so that
   * akka-persistence-cassandra's session logs in as every other client does.
   */
  public static Config withDataPlaneLogins(Config config) {
    KafkaSecurity.from(config);
    return CassandraAuth.from(config).driverConfig().withFallback(config);
  }

  public static InfraSettings infraSettings(Path home) {
    return InfraSettings.from(
        load(home, Path.of("conf", "application.conf"), ConfigFactory.empty()), home);
  }
}
