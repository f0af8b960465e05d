package pulse.http;

import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.HttpsConnectionContext;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A node's TLS: HTTPS for the API from a PKCS12 key store ({@code pulse.http.tls}, on when its
 * {@code key-store} is set) and the key and trust stores of Artery's {@code tls-tcp} transport
 * ({@code akka.remote.artery.ssl.config-ssl-engine}). Both are opened before the node starts, so a
 * wrong path or password stops it with the setting's name instead of failing on the first
 * connection (Artery would only log it, and the node would never join).
 */
public final class NodeTls {
  private static final String ARTERY = "akka.remote.artery";
  private static final String ARTERY_SSL = ARTERY + ".ssl.config-ssl-engine";

  private NodeTls() {}

  /** The HTTPS context of {@code pulse.http.tls}, or empty when the API serves plain HTTP. */
  public static Optional<HttpsConnectionContext> https(Config config) {
    Config tls = config.getConfig("pulse.http.tls");
    String path = tls.getString("key-store");
    if (path.isBlank()) {
      return Optional.empty();
    }
    String password = tls.getString("key-store-password");
    KeyStore keys =
        load(
            path,
            tls.getString("key-store-type"),
            password,
            "pulse.http.tls.key-store (PULSE_HTTP_TLS_KEYSTORE)",
            "pulse.http.tls.key-store-password (PULSE_HTTP_TLS_KEYSTORE_PASSWORD)");
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, password.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return Optional.of(ConnectionContext.httpsServer(context));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "pulse.http.tls.key-store " + path + " holds no usable key: " + e.getMessage(), e);
    }
  }

  /** Whether Artery runs over TLS; if so, its stores must open with their passwords. */
  public static boolean checkArtery(Config config) {
    if (!"tls-tcp".equals(config.getString(ARTERY + ".transport"))) {
      return false;
    }
    Config ssl = config.getConfig(ARTERY_SSL);
    load(
        ssl.getString("key-store"),
        KeyStore.getDefaultType(),
        ssl.getString("key-store-password"),
        ARTERY_SSL + ".key-store (PULSE_ARTERY_TLS_KEYSTORE)",
        ARTERY_SSL + ".key-store-password (PULSE_ARTERY_TLS_KEYSTORE_PASSWORD)");
    load(
        ssl.getString("trust-store"),
        KeyStore.getDefaultType(),
        ssl.getString("trust-store-password"),
        ARTERY_SSL + ".trust-store (PULSE_ARTERY_TLS_TRUSTSTORE)",
        ARTERY_SSL + ".trust-store-password (PULSE_ARTERY_TLS_TRUSTSTORE_PASSWORD)");
    return true;
  }

  private static KeyStore load(
      String path, String type, String password, String pathSetting, String passwordSetting) {
    Path file = Path.of(path);
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(
          pathSetting + ": no readable key store at " + file.toAbsolutePath());
    }
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password.toCharArray());
      return store;
    } catch (IOException e) {
      // PKCS12 reports a wrong password as an IOException whose cause is unrecoverable.
      throw new IllegalArgumentException(
          pathSetting + " " + file + " cannot be opened (wrong " + passwordSetting + "?)", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          pathSetting + " " + file + " is not a " + type + " key store: " + e.getMessage(), e);
    }
  }
}
