package pulse.engine.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import pulse.infra.PulseConfig;
import pulse.infra.credentials.KafkaSecurity;

/**
 * {@code bin/pulse dlq replay [--dry-run] [--reason invalid|persist-failed] [--from-beginning]}:
 * {@link DeadLetterReplay} with the node's config (conf/application.conf, PULSE_KAFKA_* overrides).
 * Progress lines on stdout, then a summary and one JSON line; a failure is one line on stderr and
 * exit code 1. A tool beside the engine, not part of a node (http-api's only main is the node's).
 */
public final class DeadLetterReplayCli {
  private static final String USAGE =
      "usage: bin/pulse dlq replay [--dry-run] [--reason invalid|persist-failed] [--from-beginning]";

  private static final ObjectMapper JSON = new ObjectMapper();

  private DeadLetterReplayCli() {}

  public static void main(String[] args) {
    if (args.length == 0 || !args[0].equals("replay")) {
      System.err.println(USAGE);
      System.exit(2);
    }
    boolean dryRun = false;
    boolean fromBeginning = false;
    String reason = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--dry-run" -> dryRun = true;
        case "--from-beginning" -> fromBeginning = true;
        case "--reason" -> {
          reason = i + 1 < args.length ? args[++i] : "";
          if (!reason.equals(KafkaIngest.REASON_INVALID)
              && !reason.equals(KafkaIngest.REASON_PERSIST_FAILED)) {
            System.err.println("--reason must be invalid or persist-failed, was '" + reason + "'");
            System.exit(2);
          }
        }
        default -> {
          System.err.println("unknown option '" + args[i] + "'\n" + USAGE);
          System.exit(2);
        }
      }
    }
    try {
      Config c =
          PulseConfig.load(
              PulseConfig.home(), Path.of("conf", "application.conf"), ConfigFactory.empty());
      var options =
          new DeadLetterReplay.Options(
              c.getString("pulse.kafka.bootstrap-servers"),
              KafkaSecurity.from(c),
              c.getString("pulse.kafka.topic.dead-letters"),
              c.getString("pulse.kafka.topic.user-events"),
              reason,
              dryRun,
              fromBeginning);
      DeadLetterReplay.Result r =
          DeadLetterReplay.run(
              options,
              line ->
                  System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + line));
      System.out.printf(
          "%s %d records read, %d %s, %d passed over, in %.1f s; by reason %s%n",
          dryRun ? "dry run:" : "replayed:",
          r.read(),
          r.replayed(),
          dryRun ? "would be replayed" : "sent to " + options.targetTopic(),
          r.passedOver(),
          r.seconds(),
          r.byReason());
      ObjectNode json = JSON.createObjectNode();
      json.put("command", "dlq-replay");
      json.put("dryRun", dryRun);
      json.put("read", r.read());
      json.put("replayed", r.replayed());
      json.put("passedOver", r.passedOver());
      json.set("byReason", JSON.valueToTree(r.byReason()));
      json.put("seconds", Math.round(r.seconds() * 10) / 10.0);
      System.out.println(json);
      System.exit(0);
    } catch (RuntimeException e) {
      System.err.println("pulse dlq replay: " + e);
      System.exit(1);
    }
  }
}
