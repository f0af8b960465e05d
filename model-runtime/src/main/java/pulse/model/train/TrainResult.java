package pulse.model.train;

import pulse.model.eval.EvalFigures;

/**
 * What a training run did: best validation figures (the weights left in the model are that
 * epoch's).
 */
public record TrainResult(
    int epochsRun, int bestEpoch, EvalFigures bestValidation, double seconds, String stopReason) {}
