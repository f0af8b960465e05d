package pulse.model;

import java.util.List;

/**
 * What the engine needs from a trained sequence model. Implementations state their thread-safety.
 */
public interface Recommender extends AutoCloseable {

    /** For each request, up to k items (fewer if exclusions or the allowed set leave fewer), best first. */
    List<Recommendations> recommend(List<RecommendRequest> requests, int k);

    /** The user vector (last position's output) per sequence: a feature downstream rankers can use. */
    float[][] encode(List<SequenceInput> sequences);

    ModelConfig config();

    @Override
    void close();
}
