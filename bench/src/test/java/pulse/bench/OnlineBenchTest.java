package pulse.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.engine.event.EventType;
import pulse.engine.event.UserEvent;
import pulse.engine.learning.LearnerSettings;
import pulse.infra.PulseConfig;
import pulse.model.data.DatasetFormat;
import pulse.model.data.DatasetReader;
import pulse.model.data.UserSequences;

class OnlineBenchTest {
  private static final double EPS = 1e-9;

  private static OnlineBench.Sample sample(long scored, double cumHr, double cumNdcg) {
    return new OnlineBench.Sample(
        scored, 0, scored, 1, scored, cumHr, cumNdcg, scored, cumHr, cumNdcg, null);
  }

  @Test
  void slicesAreTheMeansBetweenTheirEndsRunningSums() {
    // 0-100 examples: 10 hits (HR 0.1); 100-200: 30 hits (HR 0.3). NDCG likewise 0.05 then 0.15.
    List<OnlineBench.Sample> samples =
        List.of(
            sample(50, 0.1, 0.05),
            sample(100, 0.1, 0.05),
            sample(150, 0.2, 0.1),
            sample(200, 0.2, 0.1));
    double[][] rows = OnlineBench.slices(samples, 2);
    assertArrayEquals(new double[] {100, 0.1, 0.05}, rows[0], EPS);
    assertArrayEquals(new double[] {200, 0.3, 0.15}, rows[1], EPS);
  }

  @Test
  void aSliceEndsAtTheFirstSampleAtOrPastItsShareAndAnEmptySliceIsNaN() {
    List<OnlineBench.Sample> samples =
        List.of(sample(0, 0, 0), sample(90, 0.5, 0.25), sample(100, 0.5, 0.25));
    double[][] rows = OnlineBench.slices(samples, 4); // targets 25, 50, 75, 100
    assertEquals(90, rows[0][0]);
    assertEquals(0.5, rows[0][1], EPS);
    assertTrue(
        Double.isNaN(rows[1][1]) && Double.isNaN(rows[2][1]), "no sample fell inside those slices");
    assertEquals(100, rows[3][0]);
    assertEquals(0.5, rows[3][1], EPS);
  }

  @Test
  void theTrainingFileReadsBackAsTheSameSequencesWithTheNodesItemIds(@TempDir Path dir)
      throws Exception {
    List<UserEvent> ratings =
        List.of(
            new UserEvent("ml-1-242", "1", "242", EventType.RATING, 881_250_949_000L, 3.0, null),
            new UserEvent("ml-1-302", "1", "302", EventType.RATING, 881_250_950_000L, 4.0, null),
            new UserEvent("ml-2-242", "2", "242", EventType.RATING, 881_250_951_000L, 5.0, null));
    Path file = dir.resolve("train.data");
    OnlineBench.writeMovieLens(file, ratings);
    assertEquals(
        "1\t242\t3\t881250949\n1\t302\t4\t881250950\n2\t242\t5\t881250951\n",
        Files.readString(file));
    UserSequences seqs = DatasetReader.read(file, DatasetFormat.MOVIELENS);
    // The model's item ids are the strings the node's events carry (MovieLens100k's itemId).
    assertEquals(
        List.of("242", "302"), List.of(seqs.items().externalId(1), seqs.items().externalId(2)));
  }

  @Test
  void passesRelabelUsersAndEventsAndConfigureTheirOwnLearner() {
    List<UserEvent> events =
        List.of(new UserEvent("ml-1-242", "1", "242", EventType.RATING, 1L, 3.0, null));
    UserEvent e = BenchNodes.relabel(events, "oabcon").get(0);
    assertEquals("oabcon-ml-1-242", e.eventId());
    assertEquals("oabcon-1", e.userId());
    assertEquals("242", e.itemId());
    Config c =
        PulseConfig.load(
            PulseConfig.home(),
            Path.of("conf", "application.conf"),
            OnlineBench.overrides(
                Path.of("/tmp/models"),
                "t1",
                "g1",
                8,
                "fb1",
                "bench-x-off",
                "frozen",
                0.01,
                "everything"));
    LearnerSettings s = LearnerSettings.fromConfig(c);
    assertEquals("frozen", s.mode());
    assertEquals("bench-x-off", s.modelName());
    assertEquals("fb1", s.topic());
    assertEquals(1, s.topicPartitions());
    assertEquals(0.01, s.learningRate());
    assertTrue(s.everything());
    assertEquals(200, s.examples().maxHistory());
    assertEquals(50, s.updateHistory(), "the engine's reference.conf default");
    var refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LearnerSettings.fromConfig(
                    ConfigFactory.parseString("pulse.learning.update-history = 0")
                        .withFallback(c)));
    assertTrue(
        refused.getMessage().contains("pulse.learning.update-history"), refused.getMessage());
    assertEquals(50, s.learningRateExamples(), "the engine's reference.conf default");
    var zeroExamples =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LearnerSettings.fromConfig(
                    ConfigFactory.parseString("pulse.learning.learning-rate-examples = 0")
                        .withFallback(c)));
    assertTrue(
        zeroExamples.getMessage().contains("pulse.learning.learning-rate-examples"),
        zeroExamples.getMessage());
    assertEquals("t1", c.getString("pulse.ingest.kafka.topic"));
    assertEquals(false, c.getBoolean("pulse.recommend.record-impressions"));
  }

  @Test
  void thePlotIsAPngOfBothPasses(@TempDir Path dir) throws Exception {
    List<OnlineBench.Sample> on = new ArrayList<>();
    List<OnlineBench.Sample> off = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      on.add(
          new OnlineBench.Sample(
              i,
              i * 100,
              i * 100,
              i,
              i * 100,
              0.1 + i * 0.002,
              0.05 + i * 0.001,
              2000,
              0.1 + i * 0.004,
              0.05 + i * 0.002,
              null));
      off.add(
          new OnlineBench.Sample(
              i, i * 100, i * 100, 1, i * 100, 0.1, 0.05, 2000, 0.1, 0.05, null));
    }
    Path png = dir.resolve("online.png");
    OnlinePlot.write(
        png, "test", List.of(OnlinePlot.series("on", on), OnlinePlot.series("frozen", off)));
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(OnlinePlot.WIDTH, img.getWidth());
    assertEquals(OnlinePlot.HEIGHT, img.getHeight());
    // Both panels show the passes' lines in their colours (not a blank or a one-colour image).
    int onColour = 0x1f77b4;
    assertTrue(pixels(img, 0, OnlinePlot.HEIGHT / 2, onColour) > 200, "NDCG@10 lines drawn");
    assertTrue(
        pixels(img, OnlinePlot.HEIGHT / 2, OnlinePlot.HEIGHT, onColour) > 200, "HR@10 lines drawn");
    List<String> names =
        OnlinePlot.charts("test", List.of(OnlinePlot.series("on", on)))
            .get(0)
            .getSeriesMap()
            .keySet()
            .stream()
            .toList();
    assertEquals(List.of("on: window", "on: running mean"), names);
    // A pass with nothing scored yet still gives a picture.
    OnlinePlot.write(png, "empty", List.of(OnlinePlot.series("on", List.of())));
    assertEquals(OnlinePlot.WIDTH, ImageIO.read(png.toFile()).getWidth());
  }

  private static int pixels(BufferedImage img, int fromY, int toY, int rgb) {
    int n = 0;
    for (int y = fromY; y < toY; y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xffffff) == rgb) {
          n++;
        }
      }
    }
    return n;
  }
}
