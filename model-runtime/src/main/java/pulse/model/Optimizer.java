package pulse.model;

/**
 * Optimiser for an incremental update step. Adam shares its moments with the offline training run.
 */
public enum Optimizer {
  ADAM,
  SGD
}
