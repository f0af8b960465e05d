package pulse.engine.experiment;

import java.util.List;

/** A validated {@code POST /v1/experiments} body: what {@link Experiments#create} needs. */
public record ExperimentSpec(String name, List<Variant> variants, String control) {
  public ExperimentSpec {
    variants = List.copyOf(variants);
  }
}
