package pulse.infra;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A failure the operator can act on. The message is one line, meant to be printed as it is; where a
 * server's log explains more, {@link #logFile()} names it so the CLI can point at it.
 */
public final class InfraException extends RuntimeException {
  private final Path logFile;

  public InfraException(String message) {
    this(message, null, null);
  }

  public InfraException(String message, Path logFile) {
    this(message, logFile, null);
  }

  public InfraException(String message, Path logFile, Throwable cause) {
    super(message, cause);
    this.logFile = logFile;
  }

  public Optional<Path> logFile() {
    return Optional.ofNullable(logFile);
  }

  /** The one line the CLI prints: the message, and where to read more if a log explains it. */
  public String oneLine() {
    String msg = getMessage().replace('\n', ' ');
    return logFile == null ? msg : msg + " (log: " + logFile.toAbsolutePath().normalize() + ")";
  }
}
