package pulse.infra.credentials;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * How a Kafka client connects ({@code pulse.kafka.security}): PLAINTEXT (no login, the default), or
 * SASL_PLAINTEXT / SASL_SSL with a PLAIN or SCRAM login. The one place kafka-clients' security
 * properties are built; every producer, consumer and admin client of Pulse adds {@link
 * #clientProperties()}.
 */
public record KafkaSecurity(String protocol, String mechanism, String username, String password) {
  public static final String PATH = "pulse.kafka.security";

  static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL");
  static final Map<String, String> LOGIN_MODULES =
      Map.of(
          "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule",
          "SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule",
          "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

  /** No login: after the lists above, which its check reads. */
  public static final KafkaSecurity NONE = new KafkaSecurity("PLAINTEXT", "", "", "");

  public KafkaSecurity {
    if (!PROTOCOLS.contains(protocol)) {
      throw bad("protocol", "'" + protocol + "' is not one of " + PROTOCOLS);
    }
    if (protocol.equals("PLAINTEXT")) {
      if (!username.isEmpty() || !password.isEmpty()) {
        throw bad(
            "protocol",
            "a Kafka username or password is set but the protocol is PLAINTEXT, which sends none:"
                + " set it to SASL_PLAINTEXT or SASL_SSL (PULSE_KAFKA_SECURITY_PROTOCOL), or unset"
                + " PULSE_KAFKA_USERNAME and PULSE_KAFKA_PASSWORD");
      }
    } else {
      if (!LOGIN_MODULES.containsKey(mechanism)) {
        throw bad(
            "sasl-mechanism",
            "'"
                + mechanism
                + "' is not one of "
                + LOGIN_MODULES.keySet().stream().sorted().toList());
      }
      if (username.isEmpty()) {
        throw bad("username", protocol + " needs a username (PULSE_KAFKA_USERNAME)");
      }
      if (password.isEmpty()) {
        throw bad("password", protocol + " needs a password (PULSE_KAFKA_PASSWORD)");
      }
      if (username.chars().anyMatch(Character::isISOControl)
          || password.chars().anyMatch(Character::isISOControl)) {
        // The JAAS parser ends a quoted value at a line break: it would log in as someone else.
        throw bad("password", "the Kafka username and password cannot hold control characters");
      }
    }
  }

  public static KafkaSecurity from(Config config) {
    Config c = config.getConfig(PATH);
    return new KafkaSecurity(
        c.getString("protocol").strip().toUpperCase(java.util.Locale.ROOT),
        c.getString("sasl-mechanism").strip().toUpperCase(java.util.Locale.ROOT),
        c.getString("username"),
        c.getString("password"));
  }

  public boolean sasl() {
    return !protocol.equals("PLAINTEXT");
  }

  /**
   * {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config}; empty for
   * PLAINTEXT, so a client configured without security is exactly what it was before.
   */
  public Map<String, String> clientProperties() {
    if (!sasl()) {
      return Map.of();
    }
    Map<String, String> p = new LinkedHashMap<>();
    p.put("security.protocol", protocol);
    p.put("sasl.mechanism", mechanism);
    p.put("sasl.jaas.config", jaasConfig(mechanism, username, password));
    return p;
  }

  /** {@code props} with {@link #clientProperties()} added, for clients built from Properties. */
  public Properties addTo(Properties props) {
    props.putAll(clientProperties());
    return props;
  }

  /** A JAAS line for kafka-clients' {@code sasl.jaas.config}, values quoted and escaped. */
  static String jaasConfig(String mechanism, String username, String password) {
    return LOGIN_MODULES.get(mechanism)
        + " required username="
        + quote(username)
        + " password="
        + quote(password)
        + ";";
  }

  /** JAAS values are double-quoted; a backslash escapes the next character. */
  static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static ConfigException bad(String key, String message) {
    return new ConfigException.BadValue(PATH + "." + key, message);
  }

  /** Never the password. */
  @Override
  public String toString() {
    return sasl()
        ? "KafkaSecurity[" + protocol + ", " + mechanism + ", " + username + ", password ***]"
        : "KafkaSecurity[PLAINTEXT]";
  }
}
