/**
 * Ingest validation: client JSON (HTTP bodies, Kafka records) to {@link
 * pulse.engine.event.UserEvent} and {@link pulse.engine.event.Item}, or a list of {@link
 * FieldError}s naming each field. Pure and thread-safe (parsers hold only immutable configuration
 * and the injected clock).
 *
 * <p>Policies: unknown fields are rejected (top level and inside {@code context}); JSON null counts
 * as absent; bad JSON, empty input or trailing garbage is one error on {@code "$"}; type names are
 * case-sensitive; string timestamps must be ISO-8601 with an offset (a local time has no defined
 * instant); a search must carry {@code context.query} and no {@code itemId}; a rating must carry a
 * value in [1, 5]; any value must be a finite, non-negative number.
 *
 * <p>{@link EventIngest} is the one road of validated events into the user actors (HTTP, Kafka
 * through {@link KafkaIngest}, and impressions of served lists).
 *
 * <p>May import: {@code user}, {@code catalog}, {@code metrics}, the ground floor.
 */
package pulse.engine.ingest;
