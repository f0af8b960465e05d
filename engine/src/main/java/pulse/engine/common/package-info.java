/**
 * Ground floor: what every capability shares and nothing else. The serialization marker ({@link
 * pulse.engine.common.CborSerializable}), the root cause of a failure ({@link
 * pulse.engine.common.Failures}), and the Kafka topics the config declares ({@link
 * pulse.engine.common.KafkaTopics}).
 *
 * <p>May import: nothing of the engine.
 */
package pulse.engine.common;
