package pulse.model.export;

/**
 * A model directory that is missing, damaged, or does not match its manifest. The message says
 * which.
 */
public final class ModelLoadException extends Exception {
  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
