/**
 * {@code bin/pulse bench} and the loaders of {@code bin/pulse demo}: the ingest, serve, online and
 * learner benches, each starting what it measures in its own JVM, MovieLens 100K read from where it
 * lies ({@link MovieLens100k}), and their reports. The generated data they load (the synthetic
 * shop, the demo's training data, events and items as wire JSON) is this package too, in the
 * testdata module, which http-api's tests use without the benches.
 */
package pulse.bench;
