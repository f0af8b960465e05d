package pulse.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses to start when the machine cannot hold what we are about to start, before anything
 * half-starts.
 */
public final class HostChecks {
  private HostChecks() {}

  public static void requireResources(InfraSettings s) {
    long availableMb = availableMemoryMb();
    if (availableMb >= 0 && availableMb < s.minFreeMemoryMb()) {
      throw new InfraException(
          "not enough free memory: "
              + availableMb
              + " MiB available, "
              + s.minFreeMemoryMb()
              + " MiB needed for Cassandra, Kafka and a node (pulse.infra.min-free-memory)");
    }
    try {
      Files.createDirectories(s.varDir());
      long freeMb = Files.getFileStore(s.varDir()).getUsableSpace() / (1024 * 1024);
      if (freeMb < s.minFreeDiskMb()) {
        throw new InfraException(
            "not enough free disk under "
                + s.varDir()
                + ": "
                + freeMb
                + " MiB free, "
                + s.minFreeDiskMb()
                + " MiB needed (pulse.infra.min-free-disk)");
      }
    } catch (IOException e) {
      throw new InfraException("cannot use " + s.varDir() + ": " + e.getMessage());
    }
  }

  /** MemAvailable from /proc/meminfo, or -1 where there is no such file. */
  static long availableMemoryMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
