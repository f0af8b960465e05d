package pulse.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfraCredentialsTest {
  @Test
  void madeOnceOwnerOnlyAndReusedAsTheVariablesANodeReads(@TempDir Path var) throws Exception {
    InfraCredentials made = InfraCredentials.loadOrCreate(var);
    Path file = InfraCredentials.file(var);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(made, InfraCredentials.loadOrCreate(var), "the second start reuses the file");
    assertEquals("pulse", made.cassandra().username());
    assertEquals("SCRAM-SHA-512", made.kafka().mechanism());
    assertNotEquals(made.cassandra().password(), made.kafka().password());
    assertEquals(32, made.kafka().password().length());

    // What `set -a; . var/infra-credentials.env` gives a node: the reference config reads it.
    Config node =
        ConfigFactory.parseMap(made.environment())
            .withFallback(
                ConfigFactory.parseString(
                    "pulse.cassandra.auth { username = ${?PULSE_CASSANDRA_USERNAME},"
                        + " password = ${?PULSE_CASSANDRA_PASSWORD} }\n"
                        + "pulse.kafka.security { protocol = ${?PULSE_KAFKA_SECURITY_PROTOCOL},"
                        + " sasl-mechanism = ${?PULSE_KAFKA_SASL_MECHANISM},"
                        + " username = ${?PULSE_KAFKA_USERNAME}, password = ${?PULSE_KAFKA_PASSWORD} }"))
            .resolve();
    assertEquals(made.cassandra(), pulse.infra.credentials.CassandraAuth.from(node));
    assertEquals(made.kafka(), pulse.infra.credentials.KafkaSecurity.from(node));
    assertFalse(made.toString().contains(made.kafka().password()));
  }

  @Test
  void aFileWithoutPasswordsSaysToMakeANewOne(@TempDir Path var) throws Exception {
    Files.writeString(InfraCredentials.file(var), "PULSE_CASSANDRA_USERNAME=pulse\n");
    InfraException e =
        assertThrows(InfraException.class, () -> InfraCredentials.read(InfraCredentials.file(var)));
    assertTrue(e.getMessage().contains("delete it"), e.getMessage());
  }

  @Test
  void dataMadeOneWayIsRefusedTheOtherWaySayingHowToStartOver(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    SecurityMode.requireMatching(dir, data, true, "kafka"); // no data yet: anything goes
    SecurityMode.requireMatching(dir, data, false, "kafka");
    Files.createDirectories(data); // data made without --secure (no marker, as before this flag)
    Files.delete(dir.resolve(SecurityMode.MARKER));
    InfraException e =
        assertThrows(
            InfraException.class, () -> SecurityMode.requireMatching(dir, data, true, "kafka"));
    assertTrue(e.getMessage().contains("without --secure"), e.getMessage());
    assertTrue(e.getMessage().contains("rm -rf var/cassandra var/kafka"), e.getMessage());
    assertFalse(SecurityMode.isSecure(dir));
  }

  @Test
  void pulseConfigAddsTheDriversAuthProviderOnlyWithALogin() {
    Config none =
        ConfigFactory.parseString(
            "pulse.cassandra.auth { username = \"\", password = \"\" }\n"
                + "pulse.kafka.security { protocol = PLAINTEXT, sasl-mechanism = SCRAM-SHA-512,"
                + " username = \"\", password = \"\" }");
    assertFalse(
        PulseConfig.withDataPlaneLogins(none)
            .hasPath("datastax-java-driver.advanced.auth-provider"));
    Config login =
        ConfigFactory.parseString("pulse.cassandra.auth { username = pulse, password = x }")
            .withFallback(none);
    assertEquals(
        "PlainTextAuthProvider",
        PulseConfig.withDataPlaneLogins(login)
            .getString("datastax-java-driver.advanced.auth-provider.class"));
    Config halfKafka =
        ConfigFactory.parseString("pulse.kafka.security { protocol = SASL_PLAINTEXT }")
            .withFallback(none);
    assertThrows(ConfigException.class, () -> PulseConfig.withDataPlaneLogins(halfKafka));
  }
}
