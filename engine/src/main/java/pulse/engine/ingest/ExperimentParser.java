package pulse.engine.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import pulse.engine.experiment.ExperimentSpec;
import pulse.engine.experiment.ServingPolicy;
import pulse.engine.experiment.Variant;

/**
 * Validates an experiment ({@code POST /v1/experiments}) in the style of {@link EventParser}: every
 * broken rule reported with its field, unknown fields rejected, nothing thrown.
 *
 * <p>Names (the experiment's, the variants') are 1-64 of {@code A-Z a-z 0-9 . _ -}: they appear in
 * URLs, metric labels and answers. 2-10 variants, weights 1-10,000 (a share is a weight over their
 * sum), names unique; {@code control} names one of them and defaults to the first. A {@code pinned}
 * variant may name a stored {@code version}; without one it pins the version served when the
 * experiment starts (learning on vs frozen). An optional {@code shadow} ({@code name}, {@code
 * policy} model or pinned, {@code version}; no weight) is scored on the served variants' requests
 * and never served.
 */
public final class ExperimentParser {
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  static final int MAX_VARIANTS = 10;
  static final int MAX_WEIGHT = 10_000;
  private static final Set<String> FIELDS = Set.of("name", "variants", "control", "shadow");
  private static final Set<String> VARIANT_FIELDS = Set.of("name", "weight", "policy", "version");
  private static final Set<String> SHADOW_FIELDS = Set.of("name", "policy", "version");

  public ParseResult<ExperimentSpec> parse(byte[] json) {
    return JsonInput.read(json).single(this::parse);
  }

  public ParseResult<ExperimentSpec> parse(String json) {
    return JsonInput.read(json).single(this::parse);
  }

  public ParseResult<ExperimentSpec> parse(JsonNode node) {
    if (node == null || !node.isObject()) {
      return ParseResult.Invalid.of(FieldError.WHOLE_INPUT, "experiment must be a JSON object");
    }
    JsonFieldReader in = JsonFieldReader.root(node);
    in.rejectUnknownFields(FIELDS);
    String name = name(in, "name", node.get("name"));
    List<Variant> variants = variants(in, in.present("variants"));
    String control = null;
    JsonNode c = in.present("control");
    if (c == null) {
      control = variants.isEmpty() ? null : variants.get(0).name();
    } else if (!c.isTextual()) {
      in.reject("control", "must be the name of one of the variants");
    } else if (variants.stream().noneMatch(v -> v.name().equals(c.textValue()))) {
      in.reject("control", "must be the name of one of the variants, was " + c.textValue());
    } else {
      control = c.textValue();
    }
    Variant shadow = null;
    JsonNode sh = in.present("shadow");
    if (sh != null && !sh.isNull()) {
      shadow = variant(in, "shadow", sh, true);
      Variant s = shadow;
      if (s != null && variants.stream().anyMatch(v -> v.name().equals(s.name()))) {
        in.reject(
            "shadow.name", "must differ from every served variant's, " + s.name() + " is one");
      }
    }
    if (in.hasErrors()) {
      return new ParseResult.Invalid<>(in.errors());
    }
    return new ParseResult.Valid<>(new ExperimentSpec(name, variants, control, shadow));
  }

  private static String name(JsonFieldReader in, String field, JsonNode node) {
    if (node == null || node.isNull()) {
      in.reject(field, "is required");
      return null;
    }
    if (!node.isTextual() || !NAME.matcher(node.textValue()).matches()) {
      in.reject(field, "must be 1-64 characters of A-Z a-z 0-9 . _ -");
      return null;
    }
    return node.textValue();
  }

  private static List<Variant> variants(JsonFieldReader in, JsonNode node) {
    if (node == null) {
      in.reject("variants", "is required");
      return List.of();
    }
    if (!node.isArray() || node.size() < 2 || node.size() > MAX_VARIANTS) {
      in.reject("variants", "must be an array of 2-" + MAX_VARIANTS + " variants");
      return List.of();
    }
    List<Variant> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String at = "variants[" + i + "]";
      Variant v = variant(in, at, node.get(i), false);
      JsonNode n = node.get(i).path("name");
      // Checked even when the variant is broken otherwise: every rule it breaks is named.
      if (n.isTextual() && NAME.matcher(n.textValue()).matches() && !names.add(n.textValue())) {
        in.reject(at + ".name", "must be unique, " + n.textValue() + " is listed twice");
      } else if (v != null && !in.hasErrors()) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * One variant at {@code at}, or null when it is broken (the errors say why). A shadow variant has
   * no weight (no user is assigned to it) and scores a model: {@code model} or {@code pinned}.
   */
  private static Variant variant(JsonFieldReader in, String at, JsonNode v, boolean shadow) {
    if (!v.isObject()) {
      in.reject(at, "must be a JSON object");
      return null;
    }
    JsonFieldReader vin = new JsonFieldReader(v, at + ".", in.errors());
    vin.rejectUnknownFields(shadow ? SHADOW_FIELDS : VARIANT_FIELDS);
    String name = name(in, at + ".name", v.get("name"));
    int weight = shadow ? 1 : weight(in, at, v.get("weight"));
    JsonNode p = v.get("policy");
    ServingPolicy policy =
        p == null || !p.isTextual() ? null : ServingPolicy.fromWireName(p.textValue());
    if (policy == null || (shadow && policy == ServingPolicy.TRENDING)) {
      in.reject(
          at + ".policy",
          shadow ? "must be one of: model, pinned" : "must be one of: model, trending, pinned");
      policy = null;
    }
    String version = null;
    JsonNode ver = v.get("version");
    if (ver != null && !ver.isNull()) {
      if (policy != ServingPolicy.PINNED) {
        in.reject(at + ".version", "only a pinned variant names a version");
      } else if (!ver.isTextual() || !NAME.matcher(ver.textValue()).matches()) {
        in.reject(at + ".version", "must be a stored model version (1-64 of A-Z a-z 0-9 . _ -)");
      } else {
        version = ver.textValue();
      }
    }
    return name != null && weight > 0 && policy != null
        ? new Variant(name, weight, policy, version)
        : null;
  }

  private static int weight(JsonFieldReader in, String at, JsonNode w) {
    if (w == null || !w.canConvertToInt() || !w.isIntegralNumber()) {
      in.reject(at + ".weight", "must be an integer 1-" + MAX_WEIGHT);
      return 0;
    }
    if (w.intValue() < 1 || w.intValue() > MAX_WEIGHT) {
      in.reject(at + ".weight", "must be an integer 1-" + MAX_WEIGHT + ", was " + w.intValue());
      return 0;
    }
    return w.intValue();
  }
}
