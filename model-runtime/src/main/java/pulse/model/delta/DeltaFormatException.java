package pulse.model.delta;

/**
 * A delta or checkpoint blob that cannot be read: wrong magic, unsupported format version, CRC
 * mismatch, truncated.
 */
public final class DeltaFormatException extends IllegalArgumentException {
  public DeltaFormatException(String message) {
    super(message);
  }

  public DeltaFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
