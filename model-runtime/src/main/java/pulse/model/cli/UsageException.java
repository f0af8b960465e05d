package pulse.model.cli;

/** Bad command line or missing input: printed as one line, exit code 2. */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message);
  }
}
