package inferscale.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.aws.invocation.Deployment;
import inferscale.aws.invocation.InvalidRequestException;
import inferscale.aws.invocation.Invocations;
import inferscale.aws.invocation.ScalerInvocation;
import inferscale.aws.testing.AwsEmulator;
import inferscale.json.Json;
import inferscale.reliability.Outcome;
import inferscale.reliability.Scenario;
import inferscale.scaler.ScalerHarness.Invocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quicktheories.core.Gen;

/**
 * Random and mutated JSON through the real handler (and its proxy): every invalid input is an
 * {@link InvalidRequestException} whose problems name the field, and not one AWS call is made.
 */
@ExtendWith(AwsEmulator.class)
class BadInputTest {
  private static final int EXAMPLES = 300;
  private ScalerHarness h;
  private ScalerHandler handler;

  @BeforeEach
  void setUp(AwsEmulator.Running emulator) throws Exception {
    h = new ScalerHarness(emulator).endpoint(2, Map.of());
    handler = h.handler();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  /** A field path and a value that must be rejected there. */
  record Mutation(String path, String valueJson) {
    String field() {
      return path.substring(path.lastIndexOf('.') + 1);
    }
  }

  private static final List<String> BAD_NAMES = List.of("null", "42", "true", "{}", "[]", "\"\"",
      "\"-llm\"", "\"llm-\"", "\"llm_prod\"", "\"llm prod\"", "\"llm.prod\"", "\"llm/prod\"",
      "\"ünï\"", "\"" + "a".repeat(64) + "\"", "\"a\\u0000b\"", "\"llm--\"");

  private static final List<Mutation> MUTATIONS = mutations();

  private static List<Mutation> mutations() {
    List<Mutation> m = new ArrayList<>();
    for (String bad : BAD_NAMES) {
      m.add(new Mutation("endpointName", bad));
      m.add(new Mutation("variantName", bad));
    }
    for (String bad : List.of("\"yes\"", "1", "\"true\"", "[]", "{}")) {
      m.add(new Mutation("dryRun", bad));
    }
    for (String bad : List.of("\"sometimes\"", "3", "true", "[]")) {
      m.add(new Mutation("capacityCheck", bad));
    }
    for (String bad : List.of("\"x\"", "5", "[]", "true")) {
      m.add(new Mutation("policy", bad));
    }
    for (String f : List.of("minInstances", "maxInstances", "targetRpsPerInstance", "tolerance",
        "coldStartMinutes", "metricDelayMinutes", "panicThreshold", "targetKvUsage")) {
      for (String bad : List.of("\"2\"", "true", "[]", "{}", "-1", "-1e9")) {
        m.add(new Mutation("policy." + f, bad));
      }
    }
    for (String f : List.of("minInstances", "maxInstances", "coldStartMinutes",
        "metricDelayMinutes")) {
      m.add(new Mutation("policy." + f, "1.5"));
    }
    m.add(new Mutation("policy.maxInstances", "0"));
    m.add(new Mutation("policy.maxInstances", "1001"));
    m.add(new Mutation("policy.maxInstances", "1e12"));
    m.add(new Mutation("policy.coldStartMinutes", "121"));
    m.add(new Mutation("policy.metricDelayMinutes", "61"));
    m.add(new Mutation("policy.tolerance", "1"));
    m.add(new Mutation("policy.targetKvUsage", "1.5"));
    m.add(new Mutation("policy.panicThreshold", "0.5"));
    for (String bad : List.of("\"rps\"", "[]", "[\"nope\"]", "5", "[1]")) {
      m.add(new Mutation("policy.signals", bad));
    }
    m.add(new Mutation("policy.nonsense", "1"));
    m.add(new Mutation("nonsense", "1"));
    for (String bad : List.of("\"x\"", "[1]", "[{\"minInstances\":1}]",
        "[{\"name\":\"a\",\"cron\":\"not cron\",\"timeZone\":\"UTC\",\"minInstances\":1}]",
        "[{\"name\":\"a\",\"cron\":\"* 8-17 ? * MON-FRI *\",\"timeZone\":\"Mars/Base\","
            + "\"minInstances\":1}]",
        "[{\"name\":\"a\",\"cron\":\"* 8-17 ? * MON-FRI *\",\"timeZone\":\"UTC\","
            + "\"minInstances\":-1}]",
        "[{\"name\":\"a\",\"cron\":\"* 8-17 ? * MON-FRI *\",\"timeZone\":\"UTC\","
            + "\"minInstances\":1.5}]")) {
      m.add(new Mutation("schedules", bad));
    }
    return m;
  }

  private static ObjectNode valid(String endpoint) {
    return (ObjectNode) json("{\"endpointName\":\"" + endpoint + "\",\"variantName\":\"AllTraffic\","
        + "\"policy\":{\"minInstances\":1,\"maxInstances\":8,\"targetRpsPerInstance\":2.0},"
        + "\"capacityCheck\":\"none\",\"dryRun\":false}");
  }

  private static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static ObjectNode apply(ObjectNode event, Mutation m) {
    ObjectNode target = event;
    String[] parts = m.path().split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      if (!(target.get(parts[i]) instanceof ObjectNode)) {
        return event; // an earlier mutation replaced the parent: this one no longer applies
      }
      target = (ObjectNode) target.get(parts[i]);
    }
    target.set(parts[parts.length - 1], json(m.valueJson()));
    return event;
  }

  /** Runs the handler; the input must be rejected, with no AWS call. */
  private InvalidRequestException rejected(String input) {
    h.proxy.clear();
    Invocation run = h.invoke(handler, input);
    assertTrue(run.escaped() instanceof InvalidRequestException,
        () -> "accepted or failed differently: " + input + " → " + run.output() + " "
            + run.escaped());
    assertEquals(List.of(), h.proxy.calls(), () -> "AWS was called for invalid input " + input);
    InvalidRequestException e = (InvalidRequestException) run.escaped();
    assertTrue(!e.problems().isEmpty());
    return e;
  }

  @Test
  @Scenario(area = "Bad input", value = "Property: a valid event with 1-3 fields mutated to "
      + "wrong types, out-of-range numbers, invalid names or unknown fields")
  void mutatedEvents(Outcome outcome) {
    AtomicInteger checked = new AtomicInteger();
    Gen<List<Mutation>> gen = lists().of(arbitrary().pick(MUTATIONS)).ofSizeBetween(1, 3);
    qt().withExamples(EXAMPLES).withShrinkCycles(50).forAll(gen).checkAssert(mutations -> {
      ObjectNode event = valid(h.endpoint);
      for (Mutation m : mutations) {
        apply(event, m);
      }
      // the mutations still in place (a later one may have replaced an earlier one's parent)
      List<Mutation> applied = mutations.stream().filter(m -> json(m.valueJson())
          .equals(event.at("/" + m.path().replace('.', '/')))).toList();
      InvalidRequestException e = rejected(event.toString());
      String message = String.join("\n", e.problems());
      for (Mutation m : applied) {
        assertTrue(message.contains(m.field()) || message.contains(m.path()),
            () -> "no problem names " + m.path() + " for " + event + ": " + message);
      }
      checked.incrementAndGet();
    });
    assertEquals(2, h.desired());
    outcome.did(EXAMPLES + " mutated events a run, " + MUTATIONS.size() + " kinds of mutation: "
        + "every one rejected naming each mutated field, 0 AWS calls, endpoint desired 2→"
        + h.desired());
  }

  @Test
  @Scenario(area = "Bad input", value = "Property: random bytes, truncated and random JSON "
      + "(objects of known and unknown fields with random values, arrays, scalars)")
  void randomJson(Outcome outcome) {
    List<String> tokens = List.of("{", "}", "[", "]", ",", ":", "\"endpointName\"",
        "\"variantName\"", "\"policy\"", "\"dryRun\"", "\"schedules\"", "\"detail-type\"",
        "\"detail\"", "null", "true", "false", "0", "-1", "1e999", "\"llm\"", "\"\"", " ",
        "\"\\u0000\"", "\"AllTraffic\"", "{\"maxInstances\":", "\u00ff");
    Gen<String> soup = lists().of(arbitrary().pick(tokens)).ofSizeBetween(0, 25)
        .map(l -> String.join("", l));
    Gen<String> printable = strings().basicLatinAlphabet().ofLengthBetween(0, 60);
    Gen<String> truncated = integers().between(0, 120).map(n -> {
      String event = valid("llm").toString();
      return event.substring(0, Math.min(n, event.length() - 1));
    });
    AtomicInteger checked = new AtomicInteger();
    qt().withExamples(EXAMPLES).withShrinkCycles(50)
        .forAll(arbitrary().pick(List.of(0, 1, 2)), soup, printable, truncated)
        .checkAssert((which, a, b, c) -> {
          String input = which == 0 ? a : which == 1 ? b : c;
          JsonNode node;
          try {
            node = Json.mapper().readTree(input);
          } catch (Exception notJson) {
            node = null;
          }
          if (node != null && node.isObject() && node.has("endpointName")
              && node.has("variantName") && node.path("endpointName").isTextual()
              && Invocations.SAGEMAKER_NAME.matcher(node.path("endpointName").asText()).matches()
              && Invocations.SAGEMAKER_NAME.matcher(node.path("variantName").asText())
                  .matches()) {
            return; // (vanishingly rare) a valid request: not this property's concern
          }
          InvalidRequestException e = rejected(input);
          for (String problem : e.problems()) {
            assertTrue(problem.matches("(?s).*(endpointName|variantName|policy|dryRun|"
                + "capacityCheck|schedules|metrics|detail|time|unknown field|the request).*"),
                () -> "a problem that names no field: " + problem + " for " + input);
          }
          checked.incrementAndGet();
        });
    assertTrue(checked.get() > EXAMPLES / 2);
    outcome.did(EXAMPLES + " random inputs a run: every one rejected with problems naming the "
        + "field (or the whole request), 0 AWS calls");
  }

  @Test
  @Scenario(area = "Bad input", value = "Property: endpoint and variant names against "
      + "SageMaker's rule ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
  void names(Outcome outcome) {
    Gen<String> alphabet = arbitrary().pick(List.of("a", "Z", "7", "-", "_", ".", " ", "é", "/"));
    Gen<String> anyNames = lists().of(alphabet).ofSizeBetween(0, 70).map(l -> String.join("", l));
    // valid by construction: pieces that neither start nor end with a hyphen, at most 60 long
    Gen<String> validNames = lists().of(arbitrary().pick(List.of("a", "Z", "7", "a-b", "x--9")))
        .ofSizeBetween(1, 15).map(l -> String.join("", l));
    Gen<String> names = arbitrary().pick(List.of(true, false))
        .flatMap(valid -> valid ? validNames : anyNames);
    AtomicInteger valid = new AtomicInteger();
    AtomicInteger invalid = new AtomicInteger();
    qt().withExamples(EXAMPLES).forAll(names, arbitrary().pick(List.of("endpointName",
        "variantName"))).checkAssert((name, field) -> {
          boolean ok = name.matches("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
          ObjectNode event = valid(h.endpoint);
          event.put(field, name);
          if (ok) {
            assertNotNull(ScalerInvocation.parse(event, Deployment.standard()));
            valid.incrementAndGet();
          } else {
            InvalidRequestException e = rejected(event.toString());
            assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(field + " ")),
                () -> e.problems().toString());
            invalid.incrementAndGet();
          }
        });
    for (String edge : List.of("a".repeat(63), "a-b", "a--b", "A1")) {
      assertNotNull(ScalerInvocation.parse(valid(edge), Deployment.standard()));
    }
    assertTrue(invalid.get() > 0 && valid.get() > 0);
    outcome.did(EXAMPLES + " random names a run: the invalid ones rejected naming the field with "
        + "0 AWS calls, the valid ones and the 63-character edge accepted");
  }
}
