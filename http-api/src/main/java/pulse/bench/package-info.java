/**
 * Data for {@code bin/pulse demo} and {@code bin/pulse bench}: a synthetic shop the project generates itself
 * ({@link pulse.bench.SyntheticData}), the MovieLens 100K ratings read from where they lie
 * ({@link pulse.bench.MovieLens100k}), and both rendered as the JSON the API and the Kafka topic accept
 * ({@link pulse.bench.WireJson}). Pure code: no actor system, no servers.
 */
package pulse.bench;
