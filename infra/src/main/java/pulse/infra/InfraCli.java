package pulse.infra;

/**
 * {@code bin/pulse infra start [--secure]|stop|status|migrate}. {@code --secure}: the servers
 * require logins (Cassandra PasswordAuthenticator, Kafka SASL/SCRAM), written to {@code
 * var/infra-credentials.env}. Prints progress to stdout; a failure is one line on stderr (with the
 * log to read, where one explains it) and exit code 1.
 */
public final class InfraCli {
  private InfraCli() {}

  public static void main(String[] args) {
    String command = args.length == 0 ? "status" : args[0];
    boolean secure = false;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--secure") && command.equals("start")) {
        secure = true;
      } else {
        System.err.println(
            "pulse infra " + command + ": unknown option '" + args[i] + "' (start [--secure])");
        System.exit(2);
      }
    }
    try {
      InfraSettings settings = PulseConfig.infraSettings(PulseConfig.home());
      // Servers whose data was made with --secure stay secure without the flag: a later plain
      // `infra start` (or `cluster start`, which runs one) never drops their logins.
      boolean madeSecure = LocalInfra.dataMadeSecure(settings);
      if (command.equals("start") && madeSecure && !secure && !settings.secure()) {
        System.out.println("secure: the data under var/ was made with --secure");
      }
      LocalInfra infra =
          new LocalInfra(
              settings.withSecure(secure || madeSecure || settings.secure()),
              true,
              System.out::println);
      switch (command) {
        case "start" -> infra.start();
        case "stop" -> infra.stop();
        case "status" -> infra.status().forEach(System.out::println);
        case "migrate" -> infra.migrate();
        default -> {
          System.err.println(
              "pulse infra: unknown command '" + command + "' (start|stop|status|migrate)");
          System.exit(2);
        }
      }
      System.exit(0);
    } catch (InfraException e) {
      System.err.println("pulse infra " + command + ": " + e.oneLine());
      System.exit(1);
    } catch (RuntimeException e) {
      System.err.println("pulse infra " + command + ": " + Topics.rootMessage(e));
      System.exit(1);
    }
  }
}
