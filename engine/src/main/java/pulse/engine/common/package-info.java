/**
 * Ground floor: what every capability shares and nothing else. The serialization marker ({@link
 * CborSerializable}), the root cause of a failure ({@link Failures}), the Kafka topics the config
 * declares ({@link KafkaTopics}), and the common pool that runs the continuations of asks ({@link
 * ContinuationPool}).
 *
 * <p>May import: nothing of the engine.
 */
package pulse.engine.common;
