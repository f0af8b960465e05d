package pulse.infra.credentials;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A node's first contact with Cassandra and Kafka when it has credentials for them: a refused login
 * stops the node at start with a message that says which server refused which setting, instead of a
 * node that retries for ever and never gets ready. A server that does not answer passes: the node
 * starts and waits for it, as it does without credentials.
 */
public final class CredentialsCheck {
  private CredentialsCheck() {}

  /** Thrown when a server refused the configured login. */
  public static final class Refused extends IllegalStateException {
    public Refused(String message) {
      super(message);
    }
  }

  public static void requireAccepted(Config config, Duration timeout) {
    CassandraAuth cassandra = CassandraAuth.from(config);
    if (cassandra.enabled()) {
      cassandraRefusal(
              config.getString("pulse.cassandra.host"),
              config.getInt("pulse.cassandra.port"),
              config.getString("pulse.cassandra.datacenter"),
              cassandra,
              timeout)
          .ifPresent(
              why -> {
                throw new Refused(
                    "Cassandra refused the login of "
                        + CassandraAuth.PATH
                        + " (user '"
                        + cassandra.username()
                        + "', PULSE_CASSANDRA_USERNAME / PULSE_CASSANDRA_PASSWORD): "
                        + why);
              });
    }
    KafkaSecurity kafka = KafkaSecurity.from(config);
    if (kafka.sasl()) {
      kafkaRefusal(config.getString("pulse.kafka.bootstrap-servers"), kafka, timeout)
          .ifPresent(
              why -> {
                throw new Refused(
                    "Kafka refused the login of "
                        + KafkaSecurity.PATH
                        + " ("
                        + kafka.mechanism()
                        + " user '"
                        + kafka.username()
                        + "', PULSE_KAFKA_USERNAME / PULSE_KAFKA_PASSWORD): "
                        + why);
              });
    }
  }

  /** The server's reason when it refused the login; empty when it accepted or did not answer. */
  public static Optional<String> cassandraRefusal(
      String host, int port, String datacenter, CassandraAuth auth, Duration timeout) {
    try (CqlSession session = auth.probeSession(host, port, datacenter, timeout)) {
      session.execute("SELECT release_version FROM system.local");
      return Optional.empty();
    } catch (RuntimeException e) {
      return find(e, AuthenticationException.class).map(Throwable::getMessage);
    }
  }

  /** The broker's reason when it refused the login; empty when it accepted or did not answer. */
  public static Optional<String> kafkaRefusal(
      String bootstrapServers, KafkaSecurity security, Duration timeout) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "pulse-credentials-check");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    try (Admin admin = Admin.create(security.addTo(p))) {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      return find(e, org.apache.kafka.common.errors.AuthenticationException.class)
          .map(Throwable::getMessage);
    }
  }

  /** {@code type} among the causes and suppressed exceptions of {@code e}, and per-node errors. */
  public static <T extends Throwable> Optional<T> find(Throwable e, Class<T> type) {
    Deque<Throwable> todo = new ArrayDeque<>();
    Set<Throwable> seen = new HashSet<>();
    todo.add(e);
    while (!todo.isEmpty()) {
      Throwable t = todo.poll();
      if (!seen.add(t)) {
        continue;
      }
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      todo.addAll(List.of(t.getSuppressed()));
      if (t instanceof AllNodesFailedException all) {
        todo.addAll(all.getErrors().values());
      }
    }
    return Optional.empty();
  }
}
