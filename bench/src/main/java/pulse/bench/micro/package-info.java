/**
 * JMH micro-benchmarks of the hot pure pieces a request or an event goes through ({@code bin/pulse
 * bench micro}, {@link pulse.bench.micro.MicroBench}): what each costs on its own, warm, in a
 * forked JVM, so the end-to-end benches' per-request CPU can be split into parts.
 */
package pulse.bench.micro;
