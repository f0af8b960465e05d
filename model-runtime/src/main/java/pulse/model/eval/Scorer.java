package pulse.model.eval;

import java.util.List;
import pulse.model.SasRecModel;
import pulse.model.SequenceInput;

/**
 * Anything that scores the whole catalogue for a batch of histories; the model and the two
 * baselines.
 */
public sealed interface Scorer permits Scorer.Model, MostPopular, LastItemCooccurrence {

  String name();

  /**
   * Row-major [histories.size(), width], width >= numItems + 1 (a model with spare rows has more
   * columns, which are never ranked); column 0 is padding and never ranked.
   */
  float[] scoreAll(List<SequenceInput> histories);

  /** The trained encoder. */
  record Model(String name, SasRecModel model) implements Scorer {
    @Override
    public float[] scoreAll(List<SequenceInput> histories) {
      return model.scoreAll(histories);
    }
  }
}
