package pulse.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import pulse.infra.InfraSettings;
import pulse.infra.LocalInfra;
import pulse.infra.PulseConfig;
import pulse.infra.TopicSpec;
import pulse.infra.Topics;

/**
 * The Cassandra and Kafka a bench runs against. By default the local ones of {@code bin/pulse
 * infra}: started if they are not running, and stopped again at the end if the bench started them
 * (it leaves the machine as it found it). With {@code --cassandra HOST:PORT --kafka HOST:PORT}:
 * servers that already run (a test's, on free ports, or another machine's), which the bench neither
 * starts nor stops; it applies the migrations not applied yet and creates the configured topics
 * that are missing (both idempotent), as {@code infra start} would, and points its node at them.
 */
final class BenchInfra implements AutoCloseable {
  static final String USAGE = "[--cassandra HOST:PORT --kafka HOST:PORT]";

  private final LocalInfra local;
  private final Config nodeConfig;
  private final boolean external;
  private final boolean stopOnClose;

  private BenchInfra(LocalInfra local, Config nodeConfig, boolean external, boolean stopOnClose) {
    this.local = local;
    this.nodeConfig = nodeConfig;
    this.external = external;
    this.stopOnClose = stopOnClose;
  }

  /** Servers that already run, from {@code --cassandra} and {@code --kafka}. */
  record Servers(HostPort cassandra, HostPort kafka) {
    /**
     * The flags' values as given (null when absent): both or neither, where neither (null) means
     * the local servers. Checked before a bench starts anything: {@link IllegalArgumentException}
     * names what is wrong.
     */
    static Servers parse(String cassandra, String kafka) {
      if (cassandra == null && kafka == null) {
        return null;
      }
      if (cassandra == null || kafka == null) {
        throw new IllegalArgumentException(
            "--cassandra and --kafka go together (servers that already run), "
                + "or neither (the local ones, started if need be)");
      }
      return new Servers(
          HostPort.parse("--cassandra", cassandra), HostPort.parse("--kafka", kafka));
    }
  }

  /** {@code servers} from {@link Servers#parse}: null for the local ones. */
  static BenchInfra open(Servers servers, Consumer<String> out) {
    Path home = PulseConfig.home();
    if (servers == null) {
      LocalInfra local = new LocalInfra(PulseConfig.infraSettings(home), true, out);
      boolean wasRunning = local.cassandra().isPresent() && local.kafka().isPresent();
      try {
        local.start();
      } catch (RuntimeException e) {
        if (!wasRunning) {
          local.stop(); // one may have started before the other failed
        }
        throw e;
      }
      return new BenchInfra(local, ConfigFactory.empty(), false, !wasRunning);
    }
    HostPort c = servers.cassandra();
    HostPort k = servers.kafka();
    Config node =
        ConfigFactory.parseString(
            String.join(
                "\n",
                "pulse.cassandra.host = \"" + c.host() + "\"",
                "pulse.cassandra.port = " + c.port(),
                "pulse.kafka.host = \"" + k.host() + "\"",
                "pulse.kafka.port = " + k.port(),
                // Explicit, so that a PULSE_KAFKA_BOOTSTRAP in the environment cannot point the
                // node elsewhere.
                "pulse.kafka.bootstrap-servers = \"" + k + "\""));
    InfraSettings settings =
        InfraSettings.from(PulseConfig.load(home, Path.of("conf", "application.conf"), node), home);
    LocalInfra local = new LocalInfra(settings, true, out);
    out.accept(
        "using the servers given: cassandra "
            + c
            + ", kafka "
            + k
            + " (started and stopped by someone else)");
    local.migrate();
    List<String> created =
        Topics.ensure(settings.kafka().bootstrapServers(), settings.kafka().topics());
    out.accept(
        "kafka topics: "
            + settings.kafka().topics().stream().map(TopicSpec::name).toList()
            + (created.isEmpty() ? " (all present)" : " (created or grown: " + created + ")"));
    return new BenchInfra(local, node, true, false);
  }

  /**
   * Where bench output goes: {@code bench/} in the var folder ({@code pulse.infra.var-dir},
   * PULSE_VAR).
   */
  static Path benchDir() {
    return PulseConfig.infraSettings(PulseConfig.home()).varDir().resolve("bench");
  }

  InfraSettings settings() {
    return local.settings();
  }

  String bootstrapServers() {
    return local.settings().kafka().bootstrapServers();
  }

  /** What a node needs on top of conf/ to reach these servers (nothing for the local ones). */
  Config nodeConfig() {
    return nodeConfig;
  }

  /** The topics pulse.kafka.topics declares, for a bench that swaps one of them for its own. */
  List<TopicSpec> configuredTopics() {
    return local.settings().kafka().topics();
  }

  /**
   * The servers' processes, for their CPU time; none when they run elsewhere (not ours to look at).
   */
  List<ProcessHandle> processes() {
    List<ProcessHandle> out = new ArrayList<>();
    if (!external) {
      local.cassandra().ifPresent(out::add);
      local.kafka().ifPresent(out::add);
    }
    return out;
  }

  @Override
  public void close() {
    if (stopOnClose) {
      local.stop();
    }
  }

  record HostPort(String host, int port) {
    static HostPort parse(String flag, String text) {
      int colon = text.lastIndexOf(':');
      try {
        if (colon > 0) {
          int port = Integer.parseInt(text.substring(colon + 1));
          if (port > 0 && port < 65536) {
            return new HostPort(text.substring(0, colon), port);
          }
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new IllegalArgumentException(flag + " wants HOST:PORT, was '" + text + "'");
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }
}
