package pulse.engine.versions;

/**
 * A model version that cannot be stored or loaded as asked: missing, damaged, or clashing with one
 * already stored. Connection trouble is not this; it surfaces as the driver's own exceptions.
 */
public final class ModelStoreException extends RuntimeException {
  public ModelStoreException(String message) {
    super(message);
  }
}
