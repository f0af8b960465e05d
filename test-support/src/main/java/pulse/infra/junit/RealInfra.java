package pulse.infra.junit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import pulse.infra.InfraCredentials;
import pulse.infra.InfraException;
import pulse.infra.InfraSettings;
import pulse.infra.LocalInfra;
import pulse.infra.PulseConfig;

/**
 * A real Cassandra and a real Kafka broker for integration tests: started once per test JVM on free
 * ports with a fresh data folder under {@code target/}, the schema from {@code cassandra-schema/}
 * applied and the topics of {@code pulse.kafka.topics} created, stopped when the test run ends
 * (pass or fail) or the JVM exits.
 */
public final class RealInfra implements ExtensionContext.Store.CloseableResource {
  /**
   * The admin key every test node accepts (tests call the API as a real client does, with a key);
   * made up for tests, it opens nothing elsewhere.
   */
  public static final String TEST_ADMIN_KEY = "test-admin-key-not-secret-0123456789abcdef";

  private final LocalInfra infra;
  private final Path varDir;
  private final Thread shutdownHook;
  private volatile boolean closed;

  private RealInfra(LocalInfra infra, Path varDir) {
    this.infra = infra;
    this.varDir = varDir;
    this.shutdownHook = new Thread(this::stopAll, "real-infra-shutdown");
  }

  static RealInfra start() {
    return start(false);
  }

  /**
   * Servers that require logins, as {@code bin/pulse infra start --secure} runs them: Cassandra
   * with PasswordAuthenticator, Kafka with SASL/SCRAM-SHA-512; {@link #logins()} has Pulse's. Not
   * shared through the extension: the test that starts them closes them.
   */
  public static RealInfra startSecure() {
    return start(true);
  }

  private static RealInfra start(boolean secure) {
    Path home = PulseConfig.home();
    Path varDir;
    try {
      Path target = Path.of("target").toAbsolutePath();
      Files.createDirectories(target);
      varDir = Files.createTempDirectory(target, "real-infra-");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a data folder for the test servers", e);
    }
    int[] ports = freePorts(4);
    InfraSettings settings =
        PulseConfig.infraSettings(home)
            .withVarDir(varDir)
            .withPorts(ports[0], ports[1], ports[2], ports[3])
            .withSecure(secure);
    RealInfra real =
        new RealInfra(
            new LocalInfra(settings, false, line -> System.out.println("[real-infra] " + line)),
            varDir);
    Runtime.getRuntime().addShutdownHook(real.shutdownHook);
    try {
      real.infra.start();
    } catch (InfraException e) {
      e.logFile().ifPresent(RealInfra::printTail); // CI keeps the console, not target/
      real.stopAll();
      throw e;
    } catch (RuntimeException e) {
      real.stopAll();
      throw e;
    }
    return real;
  }

  private static void printTail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      System.out.println("[real-infra] last lines of " + log + ":");
      lines
          .subList(Math.max(0, lines.size() - 30), lines.size())
          .forEach(l -> System.out.println("[real-infra]   " + l));
    } catch (IOException | RuntimeException e) {
      System.out.println("[real-infra] cannot read " + log + ": " + e);
    }
  }

  public InfraSettings settings() {
    return infra.settings();
  }

  public String cassandraHost() {
    return settings().cassandra().host();
  }

  public int cassandraPort() {
    return settings().cassandra().nativePort();
  }

  public String kafkaBootstrapServers() {
    return settings().kafka().bootstrapServers();
  }

  public Path varDir() {
    return varDir;
  }

  /**
   * Pulse's logins to secure servers ({@link #startSecure}), as var/infra-credentials.env has them.
   */
  public InfraCredentials logins() {
    if (!settings().secure()) {
      throw new IllegalStateException(
          "these test servers take no login: use RealInfra.startSecure");
    }
    return infra.logins();
  }

  /** The config a node or an ActorSystem under test needs to reach these servers. */
  public Config nodeConfig() {
    return ConfigFactory.parseString(
        "pulse.cassandra.host = \""
            + cassandraHost()
            + "\"\n"
            + "pulse.cassandra.port = "
            + cassandraPort()
            + "\n"
            + "pulse.kafka.host = \""
            + settings().kafka().host()
            + "\"\n"
            + "pulse.kafka.port = "
            + settings().kafka().port()
            + "\n");
  }

  /**
   * A whole node config for tests: conf/application.conf pointed at these servers, cluster of one
   * on a random port, HTTP and management on random ports, no drain before shutdown, and a JVM that
   * stays up when the node stops. {@code extra} wins over all.
   */
  public Config testNodeConfig(Config extra) {
    Config test =
        ConfigFactory.parseString(
            "akka.remote.artery.canonical.port = 0\n"
                + "akka.cluster.seed-nodes = []\n"
                + "akka.coordinated-shutdown.exit-jvm = off\n"
                + "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n"
                + "pulse.http.port = 0\n"
                + "pulse.http.shutdown-grace = 1s\n"
                // Nothing polls a test node's readiness to take it out of rotation.
                + "pulse.http.drain-delay = 0s\n"
                + "pulse.http.auth.clear-keys.admin = \""
                + TEST_ADMIN_KEY
                + "\"\n"
                + "akka.management.http.port = 0\n"
                // Never the developer's var/models: a test node serves only models its test puts
                // here.
                + "pulse.model.dir = \""
                + modelDir()
                + "\"\n");
    return PulseConfig.load(
        PulseConfig.home(),
        Path.of("conf", "application.conf"),
        extra.withFallback(nodeConfig()).withFallback(test));
  }

  /** The model folder of test nodes (empty until a test exports a model into it). */
  public Path modelDir() {
    return varDir.resolve("models").toAbsolutePath();
  }

  /** Stops Cassandra gracefully (its data stays), e.g. to see how a node copes with losing it. */
  public void stopCassandra() {
    infra.stopCassandra();
  }

  /** Starts Cassandra again on the same ports and data. */
  public void startCassandra() {
    if (infra.cassandra().isEmpty()) {
      infra.startCassandra();
    }
  }

  public void stopKafka() {
    infra.stopKafka();
  }

  public void startKafka() {
    if (infra.kafka().isEmpty()) {
      infra.startKafka();
    }
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException ignored) {
      // already shutting down: the hook is running or has run
    }
  }

  private synchronized void stopAll() {
    if (closed) {
      return;
    }
    closed = true;
    infra.stop();
  }

  static int[] freePorts(int n) {
    Set<Integer> seen = new HashSet<>();
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int p;
      do {
        try (ServerSocket s = new ServerSocket()) {
          s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
          p = s.getLocalPort();
        } catch (IOException e) {
          throw new IllegalStateException("no free port", e);
        }
      } while (!seen.add(p));
      out[i] = p;
    }
    return out;
  }
}
