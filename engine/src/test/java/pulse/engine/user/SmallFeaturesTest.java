package pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static pulse.engine.user.Events.HOUR;
import static pulse.engine.user.Events.MINUTE;
import static pulse.engine.user.Events.T0;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dwell EMA, hour-of-day histogram, device mix and CTR: each a few lines of math. */
class SmallFeaturesTest {

  @Test
  void dwellEmaStartsAtTheFirstSampleThenBlends() {
    DwellTimeEma ema = new DwellTimeEma(0.2);
    assertNull(ema.value());
    ema.add(100);
    assertEquals(100.0, ema.value());
    ema.add(200);
    assertEquals(120.0, ema.value(), 1e-12);
    ema.add(0);
    assertEquals(96.0, ema.value(), 1e-12);
    DwellTimeEma restored = DwellTimeEma.restore(0.2, ema.value(), ema.samples());
    restored.add(50);
    ema.add(50);
    assertEquals(ema.value(), restored.value());
  }

  @Test
  void hourOfDayUsesUtcHourOfEventTime() {
    HourOfDayHistogram h = new HourOfDayHistogram();
    h.add(T0 + 5 * HOUR + 30 * MINUTE);
    h.add(T0 + 23 * HOUR + 59 * MINUTE);
    h.add(T0 + 24 * HOUR);
    h.add(-1); // 1969-12-31T23:59:59.999Z
    List<Long> counts = h.toList();
    assertEquals(1L, counts.get(0));
    assertEquals(1L, counts.get(5));
    assertEquals(2L, counts.get(23));
    assertEquals(4L, counts.stream().mapToLong(Long::longValue).sum());
    assertEquals(counts, HourOfDayHistogram.restore(counts).toList());
  }

  @Test
  void deviceMixCountsBeyondTheCapAsOther() {
    DeviceMix mix = new DeviceMix(2);
    mix.add("ios");
    mix.add("web");
    mix.add("ios");
    mix.add("tv");
    mix.add("car");
    mix.add(null);
    assertEquals(Map.of("ios", 2L, "web", 1L, "other", 2L), mix.toMap());
    assertEquals(mix.toMap(), DeviceMix.restore(2, mix.toMap()).toMap());
  }

  @Test
  void ctrWithZeroImpressionsIsNullNotNaN() {
    assertNull(ClickThroughRate.of("1h", 0, 0).ctr());
    assertNull(ClickThroughRate.of("1h", 0, 3).ctr());
    assertEquals(0.25, ClickThroughRate.of("1h", 4, 1).ctr());
  }
}
