package pulse.infra;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import pulse.infra.credentials.CredentialsCheck;
import pulse.infra.credentials.KafkaSecurity;

/** Pulse's SCRAM user on the local secure broker, set to the password of its credentials file. */
final class ScramUsers {
  private static final int ITERATIONS = 8192;

  private ScramUsers() {}

  /** Creates {@code user}'s SCRAM credential, or resets it to its password, as {@code admin}. */
  static void upsert(String bootstrapServers, KafkaSecurity admin, KafkaSecurity user) {
    Duration timeout = Duration.ofSeconds(15);
    try (Admin client =
        Admin.create(admin.addTo(KafkaServer.adminProperties(bootstrapServers, timeout)))) {
      client
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user.username(),
                      new ScramCredentialInfo(
                          ScramMechanism.fromMechanismName(user.mechanism()), ITERATIONS),
                      user.password())))
          .all()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      awaitAccepted(bootstrapServers, user, timeout);
    } catch (InfraException e) {
      throw e;
    } catch (Exception e) {
      throw new InfraException(
          "cannot set Kafka's SCRAM login for '" + user.username() + "': " + Topics.rootMessage(e),
          null,
          e);
    }
  }

  /** The change reaches the broker's credential cache through the metadata log: wait for it. */
  private static void awaitAccepted(String bootstrapServers, KafkaSecurity user, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    Optional<String> refusal;
    do {
      refusal = CredentialsCheck.kafkaRefusal(bootstrapServers, user, Duration.ofSeconds(3));
    } while (refusal.isPresent() && System.nanoTime() < deadline);
    if (refusal.isPresent()) {
      throw new InfraException(
          "Kafka still refuses '" + user.username() + "' after setting it: " + refusal.get());
    }
  }
}
