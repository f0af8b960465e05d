package pulse.infra.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;

class KafkaSecurityTest {
  private static Config config(String security) {
    return ConfigFactory.parseString("pulse.kafka.security {" + security + "}")
        .withFallback(
            ConfigFactory.parseString(
                "pulse.kafka.security { protocol = PLAINTEXT, sasl-mechanism = SCRAM-SHA-512,"
                    + " username = \"\", password = \"\" }"));
  }

  /** What kafka-clients itself reads back from the JAAS line: the proof that quoting is right. */
  private static Map<String, ?> loginOptions(Map<String, String> props) {
    List<AppConfigurationEntry> entries =
        JaasContext.loadClientContext(
                Map.of("sasl.jaas.config", new Password(props.get("sasl.jaas.config"))))
            .configurationEntries();
    assertEquals(1, entries.size());
    return entries.get(0).getOptions();
  }

  @Test
  void plaintextByDefaultAddsNothing() {
    KafkaSecurity s = KafkaSecurity.from(config(""));
    assertFalse(s.sasl());
    assertEquals(Map.of(), s.clientProperties());
  }

  @Test
  void scramBuildsTheScramLoginModule() {
    Map<String, String> p =
        KafkaSecurity.from(
                config("protocol = SASL_PLAINTEXT, username = pulse, password = \"s3cret\""))
            .clientProperties();
    assertEquals("SASL_PLAINTEXT", p.get("security.protocol"));
    assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
    assertTrue(
        p.get("sasl.jaas.config")
            .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required "));
    assertEquals(Map.of("username", "pulse", "password", "s3cret"), loginOptions(p));
  }

  @Test
  void plainBuildsThePlainLoginModuleAndMechanismsAreCaseInsensitive() {
    Map<String, String> p =
        KafkaSecurity.from(
                config("protocol = sasl_ssl, sasl-mechanism = plain, username = u, password = p"))
            .clientProperties();
    assertEquals("SASL_SSL", p.get("security.protocol"));
    assertEquals("PLAIN", p.get("sasl.mechanism"));
    assertTrue(
        p.get("sasl.jaas.config")
            .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required "));
  }

  @Test
  void quotesAndBackslashesInAPasswordSurviveTheJaasParser() {
    String password = "a\"b\\c;d e=f'g}";
    Map<String, String> p =
        new KafkaSecurity("SASL_PLAINTEXT", "SCRAM-SHA-256", "us\"er", password).clientProperties();
    assertEquals(Map.of("username", "us\"er", "password", password), loginOptions(p));
  }

  @Test
  void incompleteOrUnknownSettingsNameTheKey() {
    var noPassword =
        assertThrows(
            ConfigException.class,
            () -> KafkaSecurity.from(config("protocol = SASL_PLAINTEXT, username = pulse")));
    assertTrue(
        noPassword.getMessage().contains("pulse.kafka.security.password"), noPassword.getMessage());
    var noUser =
        assertThrows(
            ConfigException.class,
            () -> KafkaSecurity.from(config("protocol = SASL_PLAINTEXT, password = x")));
    assertTrue(noUser.getMessage().contains("pulse.kafka.security.username"));
    var mechanism =
        assertThrows(
            ConfigException.class,
            () ->
                KafkaSecurity.from(
                    config(
                        "protocol = SASL_PLAINTEXT, sasl-mechanism = GSSAPI, username = u,"
                            + " password = p")));
    assertTrue(mechanism.getMessage().contains("pulse.kafka.security.sasl-mechanism"));
    assertTrue(mechanism.getMessage().contains("GSSAPI"));
    var protocol =
        assertThrows(ConfigException.class, () -> KafkaSecurity.from(config("protocol = SSL")));
    assertTrue(protocol.getMessage().contains("pulse.kafka.security.protocol"));
    var userWithoutSasl =
        assertThrows(
            ConfigException.class, () -> KafkaSecurity.from(config("username = u, password = p")));
    assertTrue(userWithoutSasl.getMessage().contains("PLAINTEXT"));
  }

  @Test
  void aLineBreakInAPasswordIsRefused() {
    assertThrows(
        ConfigException.class,
        () -> new KafkaSecurity("SASL_PLAINTEXT", "PLAIN", "u", "line\nbreak"));
  }

  @Test
  void thePasswordNeverPrints() {
    String shown = new KafkaSecurity("SASL_PLAINTEXT", "PLAIN", "u", "hunter2").toString();
    assertFalse(shown.contains("hunter2"), shown);
  }
}
