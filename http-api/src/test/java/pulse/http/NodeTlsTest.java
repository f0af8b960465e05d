package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.infra.LocalTls;

/**
 * The throwaway CA's files (LocalTls) and how a node opens its stores (NodeTls): the happy path,
 * and a wrong path or password stopping the node with the setting's name and no secret.
 */
class NodeTlsTest {
  @TempDir static Path dir;
  private static LocalTls.Material tls;

  @BeforeAll
  static void generate() {
    tls = LocalTls.generate(dir.resolve("tls"));
  }

  private static Config http(String keyStore, String password) {
    return ConfigFactory.parseMap(
        Map.of(
            "pulse.http.tls.key-store", keyStore,
            "pulse.http.tls.key-store-password", password,
            "pulse.http.tls.key-store-type", "PKCS12"));
  }

  private static Config artery(String transport, String trustStore, String password) {
    return ConfigFactory.parseMap(
        Map.of(
            "akka.remote.artery.transport", transport,
            "akka.remote.artery.ssl.config-ssl-engine.key-store", tls.nodeKeyStore().toString(),
            "akka.remote.artery.ssl.config-ssl-engine.key-store-password", tls.password(),
            "akka.remote.artery.ssl.config-ssl-engine.trust-store", trustStore,
            "akka.remote.artery.ssl.config-ssl-engine.trust-store-password", password));
  }

  @Test
  void theGeneratedFilesAreTheOwnersAlone() throws Exception {
    for (Path p :
        new Path[] {
          tls.caPem(), tls.nodeKeyStore(), tls.trustStore(), tls.haproxyPem(), tls.env()
        }) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(p)),
          p.toString());
    }
    String pem = Files.readString(tls.haproxyPem());
    assertEquals(2, pem.split("BEGIN CERTIFICATE", -1).length - 1, "node certificate and CA");
    assertTrue(pem.contains("BEGIN PRIVATE KEY"));
    assertTrue(Files.readString(tls.env()).contains("PULSE_ARTERY_TRANSPORT=tls-tcp"));
  }

  @Test
  void httpsIsOnlyOnWhenAKeyStoreIsSet() {
    assertFalse(NodeTls.https(http("", "")).isPresent());
    assertTrue(NodeTls.https(http(tls.nodeKeyStore().toString(), tls.password())).isPresent());
  }

  @Test
  void aWrongPasswordOrPathNamesTheSettingAndNoSecret() {
    IllegalArgumentException wrongPassword =
        assertThrows(
            IllegalArgumentException.class,
            () -> NodeTls.https(http(tls.nodeKeyStore().toString(), "not-the-password")));
    assertTrue(
        wrongPassword.getMessage().contains("PULSE_HTTP_TLS_KEYSTORE_PASSWORD"),
        wrongPassword.getMessage());
    assertFalse(wrongPassword.getMessage().contains("not-the-password"));
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> NodeTls.https(http(dir.resolve("nowhere.p12").toString(), "x")));
    assertTrue(missing.getMessage().contains("PULSE_HTTP_TLS_KEYSTORE"), missing.getMessage());
  }

  @Test
  void arteryStoresAreCheckedOnlyForTlsTcp() {
    assertFalse(NodeTls.checkArtery(artery("tcp", "truststore", "changeme")));
    assertTrue(NodeTls.checkArtery(artery("tls-tcp", tls.trustStore().toString(), tls.password())));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NodeTls.checkArtery(artery("tls-tcp", "truststore", "changeme")));
    assertTrue(e.getMessage().contains("PULSE_ARTERY_TLS_TRUSTSTORE"), e.getMessage());
  }
}
