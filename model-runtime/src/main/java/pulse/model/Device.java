package pulse.model;

import java.util.Locale;
import org.tensorflow.DeviceSpec;

/**
 * Where the graph's ops are placed. GPU needs the {@code -Pgpu} build (native classifier
 * linux-x86_64-gpu) and CUDA 12.5 + cuDNN 9.3 on the host; soft placement lets ops without a GPU
 * kernel fall back to the CPU.
 */
public enum Device {
  CPU,
  GPU;

  public static Device parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "cpu" -> CPU;
      case "gpu" -> GPU;
      default -> throw new IllegalArgumentException("unknown device '" + text + "' (cpu|gpu)");
    };
  }

  public DeviceSpec spec() {
    return DeviceSpec.newBuilder()
        .deviceType(this == GPU ? DeviceSpec.DeviceType.GPU : DeviceSpec.DeviceType.CPU)
        .deviceIndex(0)
        .build();
  }
}
