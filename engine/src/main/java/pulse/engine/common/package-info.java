/**
 * Ground floor: what every capability shares and nothing else. The serialization marker ({@link
 * CborSerializable}), the root cause of a failure ({@link Failures}), and the Kafka topics the
 * config declares ({@link KafkaTopics}).
 *
 * <p>May import: nothing of the engine.
 */
package pulse.engine.common;
