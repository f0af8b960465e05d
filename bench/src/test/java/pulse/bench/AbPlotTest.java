package pulse.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AbPlotTest {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir Path dir;

  @Test
  void panelsAreStackedInOnePng() throws Exception {
    double[] x = {0, 25, 50, 75, 100};
    AbPlot.Panel ndcg =
        new AbPlot.Panel(
            "NDCG@10 by arm",
            "replay progress (%)",
            "NDCG@10",
            List.of(
                new AbPlot.Series("A: model", x, new double[] {0.10, 0.12, 0.13, 0.13, 0.14}),
                new AbPlot.Series("B: canary", x, new double[] {0.01, 0.02, 0.01, 0.02, 0.02}),
                new AbPlot.Series("C: not started", new double[0], new double[0])));
    AbPlot.Panel latency =
        new AbPlot.Panel(
            "p99 latency",
            "replay progress (%)",
            "ms",
            List.of(new AbPlot.Series("A: model", x, new double[] {3, 4, 4, 5, 4})));
    Path png = dir.resolve("plots/ab.png");
    AbPlot.write(png, List.of(ndcg, latency));
    assertPng(png, 2);
  }

  @Test
  void aPanelWithoutSeriesStillDraws() throws Exception {
    Path png = dir.resolve("empty.png");
    AbPlot.write(png, List.of(new AbPlot.Panel("nothing yet", "x", "y", List.of())));
    assertPng(png, 1);
  }

  private static void assertPng(Path png, int panels) throws Exception {
    byte[] bytes = Files.readAllBytes(png);
    assertArrayEquals(PNG, Arrays.copyOf(bytes, PNG.length));
    assertTrue(bytes.length > 2_000 && bytes.length < 2_000_000, bytes.length + " bytes");
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(AbPlot.WIDTH, image.getWidth());
    assertEquals(panels * AbPlot.PANEL_HEIGHT, image.getHeight());
  }
}
