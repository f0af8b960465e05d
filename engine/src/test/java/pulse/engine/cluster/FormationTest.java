package pulse.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.engine.cluster.Formation.ContactPoint;
import pulse.engine.cluster.Formation.Mode;

class FormationTest {

  private static Formation of(String overrides) {
    Config c =
        ConfigFactory.parseString(overrides)
            .withFallback(ConfigFactory.parseString("akka.cluster.seed-nodes = []"))
            .withFallback(ConfigFactory.load());
    return Formation.fromConfig(c);
  }

  @Test
  void aNodeAloneFormsItsOwnClusterByDefault() {
    assertEquals(Mode.SELF, of("").mode());
    assertEquals("", of("").akkaSettings());
  }

  @Test
  void seedNodesTakePrecedence() {
    assertEquals(
        Mode.SEED_NODES, of("akka.cluster.seed-nodes = [\"akka://pulse@127.0.0.1:2551\"]").mode());
  }

  @Test
  void bootstrapListsEveryContactPointAndRequiresThemAll() {
    Formation f =
        of(
            "pulse.cluster.formation = bootstrap\n"
                + "pulse.cluster.contact-points = [\"127.0.0.1:8558\", \"127.0.0.1:8559\","
                + " \"127.0.0.1:8560\"]");
    assertEquals(Mode.BOOTSTRAP, f.mode());
    assertEquals(
        List.of(
            new ContactPoint("127.0.0.1", 8558),
            new ContactPoint("127.0.0.1", 8559),
            new ContactPoint("127.0.0.1", 8560)),
        f.contactPoints());
    Config akka = ConfigFactory.parseString(f.akkaSettings());
    assertEquals(
        3,
        akka.getInt(
            "akka.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"));
    assertEquals(3, akka.getConfigList("akka.discovery.config.services.pulse.endpoints").size());
    assertEquals(
        8559,
        akka.getConfigList("akka.discovery.config.services.pulse.endpoints").get(1).getInt("port"));
  }

  @Test
  void anEnvironmentVariableGivesTheContactPointsCommaSeparated() {
    Formation f =
        of(
            "pulse.cluster.formation = BOOTSTRAP\n"
                + "pulse.cluster.contact-points = \"10.0.0.1:8558, 10.0.0.2:8558\"");
    assertEquals(
        List.of(new ContactPoint("10.0.0.1", 8558), new ContactPoint("10.0.0.2", 8558)),
        f.contactPoints());
  }

  @Test
  void mistakesAreErrorsNamingTheKey() {
    var noPoints =
        assertThrows(
            IllegalArgumentException.class, () -> of("pulse.cluster.formation = bootstrap"));
    assertTrue(noPoints.getMessage().contains("pulse.cluster.contact-points"));
    var badPort =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                of(
                    "pulse.cluster.formation = bootstrap\n"
                        + "pulse.cluster.contact-points = [\"127.0.0.1:x\"]"));
    assertTrue(badPort.getMessage().contains("127.0.0.1:x"), badPort.getMessage());
    var badMode =
        assertThrows(ConfigException.BadValue.class, () -> of("pulse.cluster.formation = seeds"));
    assertTrue(badMode.getMessage().contains("pulse.cluster.formation"), badMode.getMessage());
  }
}
