package pulse.infra;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostChecksTest {

  private InfraSettings settings(Path var, String memory, String disk) {
    var config =
        PulseConfig.load(
            PulseConfig.home(),
            Path.of("conf", "application.conf"),
            ConfigFactory.parseString(
                "pulse.infra.min-free-memory = "
                    + memory
                    + "\npulse.infra.min-free-disk = "
                    + disk));
    return InfraSettings.from(config, PulseConfig.home()).withVarDir(var);
  }

  @Test
  void refusesWhenMemoryIsShort(@TempDir Path var) {
    InfraException e =
        assertThrows(
            InfraException.class,
            () -> HostChecks.requireResources(settings(var, "100000G", "1M")));
    assertTrue(e.oneLine().startsWith("not enough free memory:"), e.oneLine());
    assertTrue(e.oneLine().contains("pulse.infra.min-free-memory"), e.oneLine());
  }

  @Test
  void refusesWhenDiskIsShort(@TempDir Path var) {
    InfraException e =
        assertThrows(
            InfraException.class,
            () -> HostChecks.requireResources(settings(var, "1M", "100000000G")));
    assertTrue(e.oneLine().startsWith("not enough free disk under " + var), e.oneLine());
  }

  @Test
  void passesWithModestNeeds(@TempDir Path var) {
    assertDoesNotThrow(() -> HostChecks.requireResources(settings(var, "1M", "1M")));
  }

  @Test
  void defaultsComeFromConf() {
    InfraSettings s = PulseConfig.infraSettings(PulseConfig.home());
    assertTrue(s.cassandra().nativePort() == 9042 && s.kafka().port() == 9092, s.toString());
    assertTrue(s.kafka().topics().stream().anyMatch(t -> t.name().equals("user-events-dlq")));
  }
}
