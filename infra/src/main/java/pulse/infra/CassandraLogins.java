package pulse.infra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import pulse.infra.credentials.CassandraAuth;
import pulse.infra.credentials.CredentialsCheck;

/**
 * The roles of the local Cassandra with PasswordAuthenticator. Cassandra creates the superuser
 * {@code cassandra} with the well-known password {@code cassandra} (at once, with {@code
 * -Dcassandra.superuser_setup_delay_ms=0}); the first secure start gives it a random password, kept
 * beside the data it guards ({@code var/cassandra/superuser.password}, mode 600), and every start
 * makes Pulse's login role match {@code var/infra-credentials.env}. Pulse's role is no superuser:
 * it may create keyspaces (Cassandra then grants it everything on the ones it creates: the
 * migrations' pulse and pulse_meta) and has every permission on Pulse's keyspaces.
 */
final class CassandraLogins {
  static final String SUPERUSER = "cassandra";
  private static final String DEFAULT_PASSWORD = "cassandra";
  private static final Duration DDL_TIMEOUT = Duration.ofSeconds(30);

  private CassandraLogins() {}

  static Path superuserPasswordFile(InfraSettings s) {
    return CassandraServer.dataDir(s).resolve("superuser.password");
  }

  /**
   * The superuser's login that Cassandra takes now: the generated password, or the default one
   * before the first secure start has changed it (or when it stopped half-way through).
   */
  static CassandraAuth superuser(InfraSettings s, Duration timeout) {
    Path file = superuserPasswordFile(s);
    List<CassandraAuth> candidates = new ArrayList<>();
    if (Files.exists(file)) {
      candidates.add(new CassandraAuth(SUPERUSER, InfraCredentials.secret(file)));
    }
    candidates.add(new CassandraAuth(SUPERUSER, DEFAULT_PASSWORD));
    for (CassandraAuth login : candidates) {
      try {
        CassandraServer.probe(s.cassandra().host(), s.cassandra().nativePort(), timeout, login);
        return login;
      } catch (RuntimeException e) {
        if (CredentialsCheck.find(e, AuthenticationException.class).isEmpty()) {
          throw e; // not answering yet: the caller retries
        }
      }
    }
    throw new IllegalStateException(
        "Cassandra refuses its superuser's login "
            + (Files.exists(file) ? "(the password in " + file + ", and the default one)" : "")
            + "; if the roles were made by another setup, start over: bin/pulse infra stop"
            + " && rm -rf var/cassandra var/kafka var/"
            + InfraCredentials.FILE_NAME);
  }

  /** Ready means the superuser can log in and query. */
  static void probe(InfraSettings s, Duration timeout) {
    superuser(s, timeout);
  }

  /** Retires the default password and brings Pulse's role in line with {@code pulse}. */
  static void setUp(InfraSettings s, CassandraAuth pulse) {
    InfraSettings.Cassandra c = s.cassandra();
    CassandraAuth su = superuser(s, Duration.ofSeconds(10));
    try (CqlSession session =
        su.applyTo(
                CqlSession.builder()
                    .addContactPoint(new java.net.InetSocketAddress(c.host(), c.nativePort()))
                    .withLocalDatacenter(CassandraServer.DATACENTER))
            .build()) {
      if (su.password().equals(DEFAULT_PASSWORD)) {
        // Written before the change: a start cut short in between still finds the new password.
        String fresh = InfraCredentials.secret(superuserPasswordFile(s));
        run(session, "ALTER ROLE " + SUPERUSER + " WITH PASSWORD = " + literal(fresh));
      }
      run(
          session,
          "CREATE ROLE IF NOT EXISTS "
              + pulse.username()
              + " WITH LOGIN = true AND PASSWORD = "
              + literal(pulse.password()));
      // Reset only when the file's password does not log in (a credentials file made anew):
      // Cassandra 5 refuses a second password change within 5 s ("can only be changed every
      // 5000ms", reported to the driver as "is bootstrapping").
      if (CredentialsCheck.cassandraRefusal(
              c.host(), c.nativePort(), CassandraServer.DATACENTER, pulse, Duration.ofSeconds(5))
          .isPresent()) {
        run(
            session,
            "ALTER ROLE "
                + pulse.username()
                + " WITH LOGIN = true AND PASSWORD = "
                + literal(pulse.password()));
      }
      run(session, "GRANT CREATE ON ALL KEYSPACES TO " + pulse.username());
      for (String ks : List.of("pulse_meta", c.keyspace())) {
        boolean exists =
            session
                    .execute(
                        SimpleStatement.newInstance(
                            "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?",
                            ks))
                    .one()
                != null;
        if (exists) {
          run(session, "GRANT ALL PERMISSIONS ON KEYSPACE " + ks + " TO " + pulse.username());
        }
      }
    }
    awaitAccepted(s, pulse, Duration.ofSeconds(15));
  }

  /** Cassandra caches logins for a few seconds (credentials_validity): wait for the new one. */
  private static void awaitAccepted(InfraSettings s, CassandraAuth login, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    Optional<String> refusal;
    do {
      refusal =
          CredentialsCheck.cassandraRefusal(
              s.cassandra().host(),
              s.cassandra().nativePort(),
              CassandraServer.DATACENTER,
              login,
              Duration.ofSeconds(3));
    } while (refusal.isPresent() && System.nanoTime() < deadline);
    if (refusal.isPresent()) {
      throw new InfraException(
          "Cassandra still refuses '" + login.username() + "' after setting it: " + refusal.get());
    }
  }

  private static void run(CqlSession session, String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
