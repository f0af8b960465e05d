package pulse.infra;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts one server JVM, waits until it really serves, and stops exactly that process again.
 *
 * <p>Every process we start carries {@code -Dpulse.role=<role>} and {@code -Dpulse.var=<var dir>}
 * on its command line, so a stale PID file whose number the OS has reused for something else is
 * never taken for ours.
 */
public final class ServerProcess {

  /**
   * A readiness check: returns normally when the server serves, throws with the reason when it does
   * not.
   */
  @FunctionalInterface
  public interface Probe {
    void check() throws Exception;
  }

  /** A port the server will bind, with what it is for (used in the "port taken" error). */
  public record Port(int number, String purpose) {}

  public record Spec(
      String role,
      List<String> command,
      Path workDir,
      Path logFile,
      Path pidFile,
      Path varDir,
      List<Port> ports,
      Duration startTimeout,
      Probe probe) {}

  private ServerProcess() {}

  /** The process a PID file names, if it is alive and really is this role of this var dir. */
  public static Optional<ProcessHandle> running(Path pidFile, String role, Path varDir) {
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      if (handle.isEmpty() || !isOurs(pid, role, varDir)) {
        return Optional.empty();
      }
      return handle;
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  static boolean isOurs(long pid, String role, Path varDir) {
    try {
      String cmdline =
          new String(
                  Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                  StandardCharsets.UTF_8)
              .replace('\0', ' ');
      return cmdline.contains(roleMarker(role)) && cmdline.contains(varMarker(varDir));
    } catch (IOException e) {
      return false;
    }
  }

  public static String roleMarker(String role) {
    return "-Dpulse.role=" + role;
  }

  public static String varMarker(Path varDir) {
    return "-Dpulse.var=" + varDir.toAbsolutePath().normalize();
  }

  /** Fails with a one-line error when a port the server needs is held by some other process. */
  public static void requirePortsFree(String role, List<Port> ports) {
    for (Port port : ports) {
      if (!isFree(port.number())) {
        throw new InfraException(
            "cannot start "
                + role
                + ": port "
                + port.number()
                + " ("
                + port.purpose()
                + ") on 127.0.0.1 is already in use by another process");
      }
    }
  }

  public static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Starts the server and returns once its probe passes. {@code detached} servers get their own
   * session (setsid) so they outlive the CLI and ignore the terminal's Ctrl-C; attached ones are
   * children of this JVM (the test extension). A server that dies or does not become ready in time
   * is stopped and reported.
   */
  public static ProcessHandle start(Spec spec, boolean detached) {
    requirePortsFree(spec.role(), spec.ports());
    List<String> command = new ArrayList<>();
    if (detached) {
      command.add("setsid");
    }
    command.addAll(spec.command());
    Process process;
    try {
      Files.createDirectories(spec.logFile().getParent());
      Files.createDirectories(spec.pidFile().getParent());
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(spec.workDir().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      Map<String, String> env = pb.environment();
      env.remove("JAVA_TOOL_OPTIONS"); // a caller's agent flags must not leak into the servers
      process = pb.start();
      Files.writeString(spec.pidFile(), Long.toString(process.pid()));
    } catch (IOException e) {
      throw new InfraException(
          "cannot start " + spec.role() + ": " + e.getMessage(), spec.logFile(), e);
    }
    awaitReady(spec, process.toHandle());
    return process.toHandle();
  }

  private static void awaitReady(Spec spec, ProcessHandle handle) {
    long deadline = System.nanoTime() + spec.startTimeout().toNanos();
    String lastProblem = "no answer yet";
    while (true) {
      if (!handle.isAlive()) {
        deleteQuietly(spec.pidFile());
        throw new InfraException(spec.role() + " exited during start-up", spec.logFile());
      }
      try {
        spec.probe().check();
        return;
      } catch (Exception e) {
        lastProblem = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      }
      if (System.nanoTime() > deadline) {
        stop(handle, Duration.ofSeconds(20));
        deleteQuietly(spec.pidFile());
        throw new InfraException(
            spec.role()
                + " did not become ready within "
                + spec.startTimeout().toSeconds()
                + " s (last check: "
                + lastProblem
                + ")",
            spec.logFile());
      }
      sleep(500);
    }
  }

  /** SIGTERM, then waits for a graceful exit; SIGKILL only if the grace period runs out. */
  public static boolean stop(ProcessHandle handle, Duration grace) {
    if (!handle.isAlive()) {
      return true;
    }
    List<ProcessHandle> children = handle.descendants().toList();
    handle.destroy();
    try {
      handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      handle.destroyForcibly();
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // reported below by isAlive
      }
    }
    children.forEach(ProcessHandle::destroyForcibly);
    return !handle.isAlive();
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // nothing to clean
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfraException("interrupted");
    }
  }
}
