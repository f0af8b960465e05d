package pulse.infra.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class CassandraAuthTest {
  private static Config config(String username, String password) {
    return ConfigFactory.empty()
        .withValue(
            "pulse.cassandra.auth.username",
            com.typesafe.config.ConfigValueFactory.fromAnyRef(username))
        .withValue(
            "pulse.cassandra.auth.password",
            com.typesafe.config.ConfigValueFactory.fromAnyRef(password));
  }

  @Test
  void noLoginAddsNoAuthProvider() {
    CassandraAuth auth = CassandraAuth.from(config("", ""));
    assertFalse(auth.enabled());
    assertTrue(auth.driverConfig().isEmpty());
  }

  @Test
  void aLoginBecomesThePlainTextAuthProviderVerbatim() {
    String password = "it's \"quoted\" ${not.a.substitution}";
    Config driver = CassandraAuth.from(config("pulse", password)).driverConfig();
    assertEquals(
        "PlainTextAuthProvider",
        driver.getString("datastax-java-driver.advanced.auth-provider.class"));
    assertEquals("pulse", driver.getString("datastax-java-driver.advanced.auth-provider.username"));
    assertEquals(
        password, driver.getString("datastax-java-driver.advanced.auth-provider.password"));
  }

  @Test
  void halfALoginNamesTheMissingKey() {
    var e = assertThrows(ConfigException.class, () -> CassandraAuth.from(config("pulse", "")));
    assertTrue(e.getMessage().contains("pulse.cassandra.auth.password"), e.getMessage());
    var e2 = assertThrows(ConfigException.class, () -> CassandraAuth.from(config("", "x")));
    assertTrue(e2.getMessage().contains("pulse.cassandra.auth.username"), e2.getMessage());
  }

  @Test
  void thePasswordNeverPrints() {
    assertFalse(new CassandraAuth("u", "hunter2").toString().contains("hunter2"));
  }
}
