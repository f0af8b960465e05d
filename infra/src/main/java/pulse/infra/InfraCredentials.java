package pulse.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import pulse.infra.credentials.CassandraAuth;
import pulse.infra.credentials.KafkaSecurity;

/**
 * The logins of the local servers started with {@code --secure}, kept in {@code
 * var/infra-credentials.env} (mode 600) as the PULSE_* variables a node reads ({@code set -a; .
 * var/infra-credentials.env} configures one; bin/pulse exports it to the nodes it starts). Made
 * once with random passwords and then reused: the servers are brought in line with the file on
 * every start, so a file deleted and made anew still works with the data it meets.
 */
public record InfraCredentials(CassandraAuth cassandra, KafkaSecurity kafka) {
  public static final String FILE_NAME = "infra-credentials.env";
  public static final String USER = "pulse";
  public static final String KAFKA_MECHANISM = "SCRAM-SHA-512";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  public static Path file(Path varDir) {
    return varDir.resolve(FILE_NAME);
  }

  public static InfraCredentials loadOrCreate(Path varDir) {
    Path file = file(varDir);
    if (!Files.exists(file)) {
      InfraCredentials made =
          new InfraCredentials(
              new CassandraAuth(USER, randomPassword()),
              new KafkaSecurity("SASL_PLAINTEXT", KAFKA_MECHANISM, USER, randomPassword()));
      StringBuilder text =
          new StringBuilder(
              "# Logins to the local Cassandra and Kafka that `bin/pulse infra start --secure` made"
                  + " (README, Security).\n# bin/pulse exports them to the nodes it starts; by"
                  + " hand: set -a; . var/"
                  + FILE_NAME
                  + "; set +a\n");
      made.environment().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
      writePrivate(file, text.toString());
    }
    return read(file);
  }

  public static InfraCredentials read(Path file) {
    Map<String, String> env = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String t = line.strip();
        int eq = t.indexOf('=');
        if (t.isEmpty() || t.startsWith("#") || eq < 0) {
          continue;
        }
        env.put(t.substring(0, eq).strip(), unquote(t.substring(eq + 1).strip()));
      }
    } catch (IOException e) {
      throw new InfraException("cannot read " + file + ": " + e.getMessage());
    }
    try {
      return new InfraCredentials(
          new CassandraAuth(
              env.getOrDefault("PULSE_CASSANDRA_USERNAME", ""),
              env.getOrDefault("PULSE_CASSANDRA_PASSWORD", "")),
          new KafkaSecurity(
              env.getOrDefault("PULSE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT"),
              env.getOrDefault("PULSE_KAFKA_SASL_MECHANISM", KAFKA_MECHANISM),
              env.getOrDefault("PULSE_KAFKA_USERNAME", ""),
              env.getOrDefault("PULSE_KAFKA_PASSWORD", "")));
    } catch (RuntimeException e) {
      throw new InfraException(
          file
              + " is incomplete ("
              + e.getMessage()
              + "): delete it and run bin/pulse infra start --secure again to make a new one");
    }
  }

  /** The variables a node reads (pulse.cassandra.auth, pulse.kafka.security). */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PULSE_CASSANDRA_USERNAME", cassandra.username());
    env.put("PULSE_CASSANDRA_PASSWORD", cassandra.password());
    env.put("PULSE_KAFKA_SECURITY_PROTOCOL", kafka.protocol());
    env.put("PULSE_KAFKA_SASL_MECHANISM", kafka.mechanism());
    env.put("PULSE_KAFKA_USERNAME", kafka.username());
    env.put("PULSE_KAFKA_PASSWORD", kafka.password());
    return env;
  }

  /** 32 letters and digits (190 bits): nothing that needs quoting in a shell, CQL or JAAS. */
  public static String randomPassword() {
    StringBuilder b = new StringBuilder(32);
    for (int i = 0; i < 32; i++) {
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  /** The secret in {@code file}, made (random, mode 600) when there is none yet. */
  static String secret(Path file) {
    try {
      if (!Files.exists(file)) {
        writePrivate(file, randomPassword() + "\n");
      }
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new InfraException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Writes {@code text} to {@code file}, readable by its owner only from the first byte. */
  static void writePrivate(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp =
          Files.createTempFile(
              file.getParent(),
              "." + file.getFileName(),
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new InfraException("cannot write " + file + ": " + e.getMessage());
    }
  }

  private static String unquote(String v) {
    if (v.length() >= 2
        && (v.startsWith("'") && v.endsWith("'") || v.startsWith("\"") && v.endsWith("\""))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }

  @Override
  public String toString() {
    return "InfraCredentials[" + cassandra + ", " + kafka + "]";
  }
}
