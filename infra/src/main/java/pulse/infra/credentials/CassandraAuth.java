package pulse.infra.credentials;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The login a client gives Cassandra's PasswordAuthenticator ({@code pulse.cassandra.auth}); both
 * empty means none (a Cassandra with AllowAllAuthenticator). The one place the DataStax driver's
 * auth provider is set, for akka-persistence-cassandra's session ({@link #driverConfig}) and for
 * every {@code CqlSession} Pulse builds itself ({@link #applyTo}).
 */
public record CassandraAuth(String username, String password) {
  public static final String PATH = "pulse.cassandra.auth";
  public static final CassandraAuth NONE = new CassandraAuth("", "");

  public CassandraAuth {
    if (username.isEmpty() != password.isEmpty()) {
      String missing = username.isEmpty() ? "username" : "password";
      throw new ConfigException.BadValue(
          PATH + "." + missing,
          "Cassandra credentials need both a username and a password (PULSE_CASSANDRA_USERNAME,"
              + " PULSE_CASSANDRA_PASSWORD); only the "
              + (username.isEmpty() ? "password" : "username")
              + " is set");
    }
  }

  public static CassandraAuth from(Config config) {
    Config c = config.getConfig(PATH);
    return new CassandraAuth(c.getString("username"), c.getString("password"));
  }

  public boolean enabled() {
    return !username.isEmpty();
  }

  /**
   * The driver's {@code advanced.auth-provider}, to lay over a config that has a {@code
   * datastax-java-driver} block; empty when there is no login, so that a driver never offers
   * credentials to a Cassandra that asks none (it would warn on every connection).
   */
  public Config driverConfig() {
    if (!enabled()) {
      return ConfigFactory.empty();
    }
    String p = "datastax-java-driver.advanced.auth-provider.";
    return ConfigFactory.empty()
        .withValue(p + "class", ConfigValueFactory.fromAnyRef("PlainTextAuthProvider"))
        .withValue(p + "username", ConfigValueFactory.fromAnyRef(username))
        .withValue(p + "password", ConfigValueFactory.fromAnyRef(password));
  }

  public CqlSessionBuilder applyTo(CqlSessionBuilder builder) {
    return enabled() ? builder.withAuthCredentials(username, password) : builder;
  }

  /**
   * A short-lived session for a probe (is the server up, does it take this login): every wait
   * bounded by {@code timeout}, no reconnecting, logged in with these credentials.
   */
  public CqlSession probeSession(String host, int port, String datacenter, Duration timeout) {
    DriverConfigLoader loader =
        DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, timeout)
            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, timeout)
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, timeout)
            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, timeout)
            .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, false)
            .build();
    return applyTo(
            CqlSession.builder()
                .addContactPoint(new InetSocketAddress(host, port))
                .withLocalDatacenter(datacenter)
                .withConfigLoader(loader))
        .build();
  }

  /** Never the password: records print in logs and assertion messages. */
  @Override
  public String toString() {
    return enabled() ? "CassandraAuth[" + username + ", password ***]" : "CassandraAuth[none]";
  }
}
