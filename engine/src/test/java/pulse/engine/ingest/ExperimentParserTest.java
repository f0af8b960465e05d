package pulse.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.engine.experiment.ExperimentSpec;
import pulse.engine.experiment.ServingPolicy;
import pulse.engine.experiment.Variant;

class ExperimentParserTest {
  private final ExperimentParser parser = new ExperimentParser();

  @Test
  void aValidExperimentWithItsControl() {
    ParseResult<ExperimentSpec> r =
        parser.parse(
            """
            {"name": "model-vs-trending", "control": "trending",
             "variants": [{"name": "model", "weight": 1, "policy": "model"},
                          {"name": "trending", "weight": 1, "policy": "trending"}]}""");
    assertInstanceOf(ParseResult.Valid.class, r, r.toString());
    ExperimentSpec spec = ((ParseResult.Valid<ExperimentSpec>) r).value();
    assertEquals("model-vs-trending", spec.name());
    assertEquals("trending", spec.control());
    assertEquals(
        List.of(
            new Variant("model", 1, ServingPolicy.MODEL),
            new Variant("trending", 1, ServingPolicy.TRENDING)),
        spec.variants());
  }

  @Test
  void aShadowVariantHasNoWeightAndScoresAModel() {
    ParseResult<ExperimentSpec> r =
        parser.parse(
            """
            {"name": "e", "variants": [{"name": "a", "weight": 1, "policy": "trending"},
                                       {"name": "b", "weight": 1, "policy": "model"}],
             "shadow": {"name": "next", "policy": "pinned", "version": "v42"}}""");
    assertEquals(
        new Variant("next", 1, ServingPolicy.PINNED, "v42"),
        ((ParseResult.Valid<ExperimentSpec>) r).value().shadow());
    ParseResult<ExperimentSpec> none =
        parser.parse(
            """
            {"name": "e", "variants": [{"name": "a", "weight": 1, "policy": "trending"},
                                       {"name": "b", "weight": 1, "policy": "model"}]}""");
    assertEquals(null, ((ParseResult.Valid<ExperimentSpec>) none).value().shadow());
  }

  @Test
  void aBrokenShadowIsNamedByItsField() {
    ParseResult<ExperimentSpec> r =
        parser.parse(
            """
            {"name": "e", "variants": [{"name": "a", "weight": 1, "policy": "trending"},
                                       {"name": "b", "weight": 1, "policy": "model"}],
             "shadow": {"name": "b", "weight": 1, "policy": "trending"}}""");
    List<String> fields =
        ((ParseResult.Invalid<ExperimentSpec>) r).errors().stream().map(FieldError::field).toList();
    assertTrue(fields.contains("shadow.weight"), fields.toString()); // never served: no weight
    assertTrue(fields.contains("shadow.policy"), fields.toString()); // trending is no model
    ParseResult<ExperimentSpec> clash =
        parser.parse(
            """
            {"name": "e", "variants": [{"name": "a", "weight": 1, "policy": "trending"},
                                       {"name": "b", "weight": 1, "policy": "model"}],
             "shadow": {"name": "b", "policy": "model"}}""");
    assertEquals(
        List.of("shadow.name"),
        ((ParseResult.Invalid<ExperimentSpec>) clash)
            .errors().stream().map(FieldError::field).toList());
  }

  @Test
  void theControlDefaultsToTheFirstVariant() {
    ParseResult<ExperimentSpec> r =
        parser.parse(
            """
            {"name": "e", "variants": [{"name": "a", "weight": 3, "policy": "trending"},
                                       {"name": "b", "weight": 7, "policy": "model"}]}""");
    assertEquals("a", ((ParseResult.Valid<ExperimentSpec>) r).value().control());
  }

  @Test
  void everyBrokenRuleIsNamedByItsField() {
    ParseResult<ExperimentSpec> r =
        parser.parse(
            """
            {"name": "no spaces", "control": "c", "extra": 1,
             "variants": [{"name": "a", "weight": 0, "policy": "model"},
                          {"name": "a", "weight": 2.5, "policy": "frozen", "color": "red"}]}""");
    List<String> fields =
        ((ParseResult.Invalid<ExperimentSpec>) r).errors().stream().map(FieldError::field).toList();
    assertTrue(fields.contains("name"), fields.toString());
    assertTrue(fields.contains("extra"), fields.toString());
    assertTrue(fields.contains("variants[0].weight"), fields.toString());
    assertTrue(fields.contains("variants[1].name"), fields.toString());
    assertTrue(fields.contains("variants[1].weight"), fields.toString());
    assertTrue(fields.contains("variants[1].policy"), fields.toString());
    assertTrue(fields.contains("variants[1].color"), fields.toString());
    assertTrue(fields.contains("control"), fields.toString());
  }

  @Test
  void aPinnedVariantMayNameItsVersionAndOnlyItMay() {
    ParseResult<ExperimentSpec> r =
        parser.parse(
            """
            {"name": "e", "variants": [{"name": "on", "weight": 1, "policy": "model"},
                                       {"name": "frozen", "weight": 1, "policy": "pinned"},
                                       {"name": "old", "weight": 1, "policy": "pinned",
                                        "version": "v0000000042"}]}""");
    List<Variant> variants = ((ParseResult.Valid<ExperimentSpec>) r).value().variants();
    assertEquals(new Variant("frozen", 1, ServingPolicy.PINNED, null), variants.get(1));
    assertEquals(new Variant("old", 1, ServingPolicy.PINNED, "v0000000042"), variants.get(2));
    ParseResult<ExperimentSpec> bad =
        parser.parse(
            """
            {"name": "e", "variants": [{"name": "a", "weight": 1, "policy": "model",
                                        "version": "v1"},
                                       {"name": "b", "weight": 1, "policy": "trending"}]}""");
    assertEquals(
        "variants[0].version", ((ParseResult.Invalid<ExperimentSpec>) bad).errors().get(0).field());
  }

  @Test
  void oneVariantIsNoExperiment() {
    ParseResult<ExperimentSpec> r =
        parser.parse(
            """
            {"name": "e", "variants": [{"name": "a", "weight": 1, "policy": "model"}]}""");
    assertEquals("variants", ((ParseResult.Invalid<ExperimentSpec>) r).errors().get(0).field());
  }
}
