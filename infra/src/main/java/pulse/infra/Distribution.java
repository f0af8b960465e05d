package pulse.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server's runtime jars, resolved from Maven Central into a cache shared by every checkout
 * ({@code ~/.cache/pulse/<name>-<version>/lib}). The servers run in their own JVMs, so their jars
 * never meet the application's classpath (Cassandra brings logback 1.5, slf4j 2, guava 32 and its
 * own netty).
 */
public final class Distribution {
  private static final String DEPENDENCY_PLUGIN =
      "org.apache.maven.plugins:maven-dependency-plugin:3.6.1";
  private static final String MARKER = ".complete";

  private final String name;
  private final String version;
  private final List<String> artifacts;

  private Distribution(String name, String version, List<String> artifacts) {
    this.name = name;
    this.version = version;
    this.artifacts = artifacts;
  }

  public static Distribution cassandra(String version) {
    return new Distribution(
        "cassandra", version, List.of("org.apache.cassandra:cassandra-all:" + version));
  }

  /**
   * The broker jar does not declare a logging backend; the binary distribution ships reload4j, so
   * do we.
   */
  public static Distribution kafka(String version) {
    return new Distribution(
        "kafka",
        version,
        List.of(
            "org.apache.kafka:kafka_2.13:" + version,
            "org.slf4j:slf4j-reload4j:1.7.36",
            "ch.qos.reload4j:reload4j:1.2.25"));
  }

  public Path libDir(Path cacheDir) {
    return cacheDir.resolve(name + "-" + version).resolve("lib");
  }

  /** Returns the lib folder, resolving it first if this cache does not hold it yet. */
  public synchronized Path ensure(Path cacheDir, String mavenCommand, Path logDir) {
    Path lib = libDir(cacheDir);
    if (Files.exists(lib.resolve(MARKER))) {
      return lib;
    }
    try {
      Files.createDirectories(lib.getParent());
      Files.createDirectories(logDir);
      Path work = Files.createTempDirectory(lib.getParent(), "resolve-");
      Path pom = work.resolve("pom.xml");
      Files.writeString(pom, pom());
      Path out = work.resolve("lib");
      Path log = logDir.resolve("resolve-" + name + ".log");
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  mavenCommand,
                  "-B",
                  "-q",
                  "-f",
                  pom.toString(),
                  DEPENDENCY_PLUGIN + ":copy-dependencies",
                  "-DincludeScope=runtime",
                  "-DoutputDirectory=" + out));
      System.out.println(
          "resolving " + name + " " + version + " from Maven Central into " + lib + " (once) ...");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new InfraException(
            "could not resolve " + name + " " + version + " from Maven Central", log);
      }
      Files.writeString(out.resolve(MARKER), version);
      if (Files.exists(lib)) {
        deleteTree(lib); // an earlier, interrupted resolve
      }
      Files.move(out, lib, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(work);
      return lib;
    } catch (IOException e) {
      throw new InfraException(
          "could not resolve " + name + " " + version + ": " + e.getMessage(), null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfraException("interrupted while resolving " + name);
    }
  }

  private String pom() {
    StringBuilder deps = new StringBuilder();
    for (String a : artifacts) {
      String[] gav = a.split(":");
      deps.append("    <dependency><groupId>")
          .append(gav[0])
          .append("</groupId><artifactId>")
          .append(gav[1])
          .append("</artifactId><version>")
          .append(gav[2])
          .append("</version></dependency>\n");
    }
    return """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>pulse.infra</groupId>
          <artifactId>%s-dist</artifactId>
          <version>%s</version>
          <packaging>pom</packaging>
          <dependencies>
        %s  </dependencies>
        </project>
        """
        .formatted(name, version, deps);
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
