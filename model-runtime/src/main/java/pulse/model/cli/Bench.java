package pulse.model.cli;

import java.io.PrintStream;

/** Placeholder until the benchmark lands in the next commit. */
final class Bench {
    private Bench() {}

    static void run(Args a, PrintStream out) {
        throw new UsageException("bench is not implemented yet");
    }
}
