package pulse.infra;

/**
 * {@code bin/pulse infra start|stop|status|migrate}. Prints progress to stdout; a failure is one
 * line on stderr (with the log to read, where one explains it) and exit code 1.
 */
public final class InfraCli {
  private InfraCli() {}

  public static void main(String[] args) {
    String command = args.length == 0 ? "status" : args[0];
    try {
      LocalInfra infra =
          new LocalInfra(PulseConfig.infraSettings(PulseConfig.home()), true, System.out::println);
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
