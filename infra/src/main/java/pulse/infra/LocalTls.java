package pulse.infra;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority and one certificate signed by it, made with the JDK's keytool,
 * for trying TLS on this machine ({@code bin/pulse cluster start --tls}): HTTPS on each node's API,
 * Artery {@code tls-tcp} between the nodes (mutual: a node presents the same certificate as client
 * and server), and HAProxy's TLS to clients and to the nodes. Every local node listens on
 * 127.0.0.1, so one node certificate (SAN {@code IP:127.0.0.1, DNS:localhost}) serves them all; on
 * real hosts each node gets its own, from your CA.
 *
 * <p>Files in the folder (mode 600, one random password for all stores): {@code ca.p12} (the CA's
 * key, kept to sign more), {@code ca.pem} (its certificate: curl's {@code --cacert}, HAProxy's
 * {@code ca-file}), {@code node.p12} (node key and chain), {@code truststore.p12} (the CA alone),
 * {@code haproxy.pem} (chain and key in PEM, HAProxy's {@code crt}) and {@code tls.env} (the
 * PULSE_* variables that turn TLS on for a node, README Security).
 */
public final class LocalTls {
  private static final int VALID_DAYS = 30;

  /** What a node and HAProxy need; {@code password} opens the three PKCS12 stores. */
  public record Material(
      Path dir,
      Path caPem,
      Path nodeKeyStore,
      Path trustStore,
      Path haproxyPem,
      Path env,
      String password) {

    /** The environment that makes a node serve HTTPS and speak Artery over TLS. */
    public List<String> environment() {
      return List.of(
          "PULSE_HTTP_TLS_KEYSTORE=" + nodeKeyStore,
          "PULSE_HTTP_TLS_KEYSTORE_PASSWORD=" + password,
          "PULSE_ARTERY_TRANSPORT=tls-tcp",
          "PULSE_ARTERY_TLS_KEYSTORE=" + nodeKeyStore,
          "PULSE_ARTERY_TLS_KEYSTORE_PASSWORD=" + password,
          "PULSE_ARTERY_TLS_TRUSTSTORE=" + trustStore,
          "PULSE_ARTERY_TLS_TRUSTSTORE_PASSWORD=" + password);
    }
  }

  private LocalTls() {}

  /**
   * {@code LocalTls DIR}: makes the files unless {@code DIR/tls.env} exists; prints what it made.
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: LocalTls DIR");
      System.exit(2);
    }
    try {
      Path dir = Path.of(args[0]).toAbsolutePath();
      if (Files.exists(dir.resolve("tls.env"))) {
        System.out.println(
            "TLS files in " + dir + " (made before; delete the folder for new ones)");
      } else {
        Material f = generate(dir);
        System.out.println(
            "TLS files made in "
                + dir
                + " (throwaway CA, valid "
                + VALID_DAYS
                + " days; clients trust "
                + f.caPem().getFileName()
                + ")");
      }
      System.exit(0);
    } catch (InfraException e) {
      System.err.println("pulse tls: " + e.oneLine());
      System.exit(1);
    }
  }

  /** Makes a new CA and node certificate in {@code dir} (created if needed; old files replaced). */
  public static Material generate(Path dir) {
    try {
      Files.createDirectories(dir);
      // Only the owner may read what is written here, from the first byte on.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
      Path ca = dir.resolve("ca.p12");
      Path caPem = dir.resolve("ca.pem");
      Path node = dir.resolve("node.p12");
      Path csr = dir.resolve("node.csr");
      Path nodePem = dir.resolve("node.pem");
      Path trust = dir.resolve("truststore.p12");
      for (Path p : List.of(ca, caPem, node, csr, nodePem, trust)) {
        Files.deleteIfExists(p);
      }
      keyPair(dir, ca, password, "ca", "CN=Pulse local CA (throwaway)", "-ext", "bc:c");
      keytool(dir, "-exportcert", ca, password, "ca", "-rfc", "-file", caPem.toString());
      keyPair(dir, node, password, "node", "CN=pulse-node");
      keytool(dir, "-certreq", node, password, "node", "-file", csr.toString());
      // Server and client use: Artery's TLS is mutual, a node is both.
      keytool(
          dir,
          "-gencert",
          ca,
          password,
          "ca",
          "-rfc",
          "-infile",
          csr.toString(),
          "-outfile",
          nodePem.toString(),
          "-validity",
          Integer.toString(VALID_DAYS),
          "-ext",
          "SAN=ip:127.0.0.1,dns:localhost",
          "-ext",
          "KU=digitalSignature,keyEncipherment",
          "-ext",
          "EKU=serverAuth,clientAuth");
      // keytool builds the node's chain from the CA it finds in the same store.
      importCert(dir, node, password, "ca", caPem);
      importCert(dir, node, password, "node", nodePem);
      importCert(dir, trust, password, "ca", caPem);
      Path haproxyPem = dir.resolve("haproxy.pem");
      Files.writeString(haproxyPem, pem(node, password, "node"));
      Path env = dir.resolve("tls.env");
      Material files = new Material(dir, caPem, node, trust, haproxyPem, env, password);
      Files.writeString(
          env,
          "# TLS for the local nodes (bin/pulse cluster start --tls; README, Security)\n"
              + String.join("\n", files.environment())
              + "\n");
      Files.deleteIfExists(csr);
      Files.deleteIfExists(nodePem);
      for (Path p : List.of(ca, caPem, node, trust, haproxyPem, env)) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
      }
      return files;
    } catch (IOException e) {
      throw new InfraException("cannot write TLS files in " + dir + ": " + e.getMessage());
    }
  }

  private static void importCert(Path dir, Path store, String password, String alias, Path cert) {
    keytool(dir, "-importcert", store, password, alias, "-noprompt", "-file", cert.toString());
  }

  /** A new RSA 2048 key pair {@code alias} in {@code store}, valid {@link #VALID_DAYS} days. */
  private static void keyPair(
      Path dir, Path store, String password, String alias, String dname, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                Integer.toString(VALID_DAYS),
                "-dname",
                dname));
    args.addAll(List.of(options));
    keytool(dir, "-genkeypair", store, password, alias, args.toArray(String[]::new));
  }

  /** The certificate chain and the private key of {@code alias}, PEM, as HAProxy's crt wants. */
  static String pem(Path store, String password, String alias) {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password.toCharArray());
      StringBuilder out = new StringBuilder();
      for (Certificate c : ks.getCertificateChain(alias)) {
        out.append(block("CERTIFICATE", c.getEncoded()));
      }
      Key key = ks.getKey(alias, password.toCharArray());
      out.append(block("PRIVATE KEY", key.getEncoded()));
      return out.toString();
    } catch (IOException | GeneralSecurityException e) {
      throw new InfraException("cannot read " + store + ": " + e.getMessage());
    }
  }

  private static String block(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  /** {@code keytool COMMAND} on the entry {@code alias} of the PKCS12 {@code store}. */
  private static void keytool(
      Path dir, String command, Path store, String password, String alias, String... options) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(
        List.of(
            command,
            "-keystore",
            store.toString(),
            "-storetype",
            "PKCS12",
            "-storepass",
            password,
            "-alias",
            alias));
    cmd.addAll(List.of(options));
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new InfraException("keytool " + command + " failed: " + out.strip());
      }
    } catch (IOException e) {
      throw new InfraException("cannot run keytool (" + cmd.get(0) + "): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfraException("interrupted while running keytool");
    }
  }
}
