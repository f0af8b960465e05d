package pulse.infra;

import java.nio.file.Path;
import java.util.List;
import pulse.infra.credentials.KafkaSecurity;

/**
 * The logins of the local broker started with {@code --secure}. Clients and the broker itself (its
 * inter-broker client) log in with SCRAM-SHA-512 on the one client listener; the SCRAM users are
 * bootstrapped when the storage is formatted ({@code --add-scram}, KRaft keeps them in the cluster
 * metadata, only hashes). The controller listener takes PLAIN, since KRaft controllers cannot check
 * SCRAM, with a login of its own that lives only in server.properties (mode 600). Both secrets stay
 * in {@code var/kafka/} beside the data they were formatted into.
 */
record BrokerLogins(String brokerPassword, String controllerPassword) {
  static final String BROKER_USER = "pulse-broker";
  static final String CONTROLLER_USER = "pulse-controller";
  static final String MECHANISM = InfraCredentials.KAFKA_MECHANISM;

  static BrokerLogins of(InfraSettings s) {
    Path dir = KafkaServer.dataDir(s);
    return new BrokerLogins(
        InfraCredentials.secret(dir.resolve("broker.password")),
        InfraCredentials.secret(dir.resolve("controller.password")));
  }

  /** The broker's own login, for infra's admin work (probe, topics, Pulse's SCRAM user). */
  KafkaSecurity brokerClient() {
    return new KafkaSecurity("SASL_PLAINTEXT", MECHANISM, BROKER_USER, brokerPassword);
  }

  List<String> formatArguments() {
    return List.of(
        "--add-scram", MECHANISM + "=[name=" + BROKER_USER + ",password=" + brokerPassword + "]");
  }

  String listenerProperties(InfraSettings.Kafka k) {
    String scram = "org.apache.kafka.common.security.scram.ScramLoginModule";
    String plain = "org.apache.kafka.common.security.plain.PlainLoginModule";
    return """
        listeners=SASL_PLAINTEXT://%1$s:%2$d,CONTROLLER://%1$s:%3$d
        advertised.listeners=SASL_PLAINTEXT://%1$s:%2$d
        inter.broker.listener.name=SASL_PLAINTEXT
        listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
        sasl.enabled.mechanisms=%4$s
        sasl.mechanism.inter.broker.protocol=%4$s
        listener.name.sasl_plaintext.sasl.enabled.mechanisms=%4$s
        listener.name.sasl_plaintext.%5$s.sasl.jaas.config=%6$s required username="%7$s" password="%8$s";
        sasl.mechanism.controller.protocol=PLAIN
        listener.name.controller.sasl.enabled.mechanisms=PLAIN
        listener.name.controller.plain.sasl.jaas.config=%9$s required username="%10$s" password="%11$s" user_%10$s="%11$s";
        """
        .formatted(
            k.host(),
            k.port(),
            k.controllerPort(),
            MECHANISM,
            MECHANISM.toLowerCase(java.util.Locale.ROOT),
            scram,
            BROKER_USER,
            brokerPassword,
            plain,
            CONTROLLER_USER,
            controllerPassword);
  }

  @Override
  public String toString() {
    return "BrokerLogins[***]";
  }
}
