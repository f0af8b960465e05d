package pulse.engine.feedback;

import java.time.Duration;

/**
 * Where feedback travels and how the learner reads it.
 *
 * @param topic the feedback topic ({@code pulse.learning.topic}), declared in {@code
 *     pulse.kafka.topics}
 * @param groupId the consumer group the reader names (offsets are not committed to it)
 * @param batchSize most records per mini-batch
 * @param batchWindow a mini-batch is also cut this long after its first record
 * @param reader who reads: the {@code client} tag of its Kafka client metrics on /metrics
 */
public record FeedbackSettings(
    String topic, String groupId, int batchSize, Duration batchWindow, String reader) {}
