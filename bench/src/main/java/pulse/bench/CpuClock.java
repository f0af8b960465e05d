package pulse.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

/**
 * CPU spent so far by this JVM (the node and the bench's load generator), by the local Cassandra
 * and Kafka processes (NaN without any: servers given with --cassandra/--kafka run elsewhere and
 * are not measured), and in this JVM's collections; {@link #since} turns two readings into what one
 * phase cost.
 */
record CpuClock(double wallSeconds, double jvmSeconds, double infraSeconds, double gcSeconds) {
  static CpuClock now(List<ProcessHandle> infra) {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    double infraSeconds = infra.isEmpty() ? Double.NaN : 0;
    for (ProcessHandle p : infra) {
      infraSeconds += p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
    }
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    return new CpuClock(
        System.nanoTime() / 1e9, os.getProcessCpuTime() / 1e9, infraSeconds, gcMillis / 1e3);
  }

  CpuClock since(CpuClock start) {
    return new CpuClock(
        wallSeconds - start.wallSeconds,
        jvmSeconds - start.jvmSeconds,
        infraSeconds - start.infraSeconds,
        gcSeconds - start.gcSeconds);
  }
}
