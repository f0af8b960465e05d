package pulse.engine.experiment;

import java.util.List;

/**
 * A validated {@code POST /v1/experiments} body: what {@link Experiments#create} needs. {@code
 * shadow}: null, or the variant scored beside the served ones and never served ({@link
 * Experiment#shadow()}).
 */
public record ExperimentSpec(String name, List<Variant> variants, String control, Variant shadow) {
  public ExperimentSpec {
    variants = List.copyOf(variants);
  }
}
