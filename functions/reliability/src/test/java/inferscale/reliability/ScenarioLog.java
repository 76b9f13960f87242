package inferscale.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Records every {@link Scenario}: its area, name, what the controller did (the test's
 * {@link Outcome}), the test method and whether it passed, one JSON file per scenario under
 * {@code target/reliability/scenarios/}. When the test run ends it renders them all into
 * {@code target/reliability/RELIABILITY.md}, which {@code ReliabilityReportIT} compares with (or,
 * asked to, copies to) {@code docs/RELIABILITY.md}.
 */
public final class ScenarioLog implements ParameterResolver, AfterEachCallback {
  public static final Path DIR = Path.of("target", "reliability");
  public static final Path REPORT = DIR.resolve("RELIABILITY.md");
  private static final Path SCENARIOS = DIR.resolve("scenarios");
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(ScenarioLog.class);
  /** Sections in the order the issue lists them. */
  static final List<String> AREAS = List.of("Faults", "Metric data", "Endpoint state",
      "Concurrency", "Deadline", "Bad input", "Least privilege", "Secrets", "Pause and dry run");

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Outcome.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return outcome(context);
  }

  private static Outcome outcome(ExtensionContext context) {
    // one renderer per run, created (and the old results cleared) by the first scenario
    context.getRoot().getStore(NS).getOrComputeIfAbsent(Renderer.class, k -> new Renderer(),
        Renderer.class);
    Scenario scenario = context.getRequiredTestMethod().getAnnotation(Scenario.class);
    return context.getStore(NS).getOrComputeIfAbsent(Outcome.class,
        k -> new Outcome(scenario.value()), Outcome.class);
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    Method method = context.getRequiredTestMethod();
    Scenario scenario = method.getAnnotation(Scenario.class);
    if (scenario == null) {
      return;
    }
    Outcome outcome = outcome(context);
    boolean passed = context.getExecutionException().isEmpty();
    String did = outcome.didOrNull();
    if (did == null) {
      did = passed ? "(not recorded)" : "";
    }
    if (!passed) {
      String why = String.valueOf(context.getExecutionException().get().getMessage());
      did = "FAILED: " + (why.length() > 300 ? why.substring(0, 300) + "…" : why) + " " + did;
    }
    ObjectNode line = Json.mapper().createObjectNode()
        .put("area", scenario.area())
        .put("scenario", outcome.name())
        .put("did", did)
        .put("test", method.getDeclaringClass().getSimpleName() + "." + method.getName())
        .put("passed", passed);
    Files.createDirectories(SCENARIOS);
    String file = (method.getDeclaringClass().getSimpleName() + "." + context.getUniqueId()
        .replaceAll("[^A-Za-z0-9]+", "_"));
    Files.writeString(SCENARIOS.resolve(file + ".json"), line.toString(), StandardCharsets.UTF_8);
  }

  /** Clears the last run's results when created; renders this run's when JUnit closes it. */
  private static final class Renderer implements ExtensionContext.Store.CloseableResource {
    Renderer() {
      try {
        if (Files.isDirectory(SCENARIOS)) {
          try (Stream<Path> old = Files.list(SCENARIOS)) {
            for (Path p : old.toList()) {
              Files.delete(p);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      List<JsonNode> rows = new ArrayList<>();
      if (Files.isDirectory(SCENARIOS)) {
        try (Stream<Path> files = Files.list(SCENARIOS)) {
          for (Path p : files.toList()) {
            rows.add(Json.mapper().readTree(Files.readString(p)));
          }
        }
      }
      Files.writeString(REPORT, render(rows), StandardCharsets.UTF_8);
    }
  }

  static String render(List<JsonNode> rows) {
    List<JsonNode> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.<JsonNode>comparingInt(r -> {
      int i = AREAS.indexOf(r.get("area").asText());
      return i < 0 ? AREAS.size() : i;
    }).thenComparing(r -> r.get("test").asText()).thenComparing(r -> r.get("scenario").asText()));
    long passed = sorted.stream().filter(r -> r.get("passed").asBoolean()).count();
    StringBuilder md = new StringBuilder();
    md.append("# Reliability\n\n")
        .append("<!-- Generated from the reliability suite's results; do not edit. Regenerate with\n")
        .append("     mvn -B verify -Dinferscale.reliability.update=true -->\n\n")
        .append("What InferScale does when AWS misbehaves, when its input is wrong, and whether its\n")
        .append("template grants only what it needs. Every row is one test in `functions/reliability`\n")
        .append("(the faults run both handlers through a fault-injecting HTTP proxy in front of the\n")
        .append("moto emulator); \"what the controller did\" is what that test observed in that run.\n")
        .append("The build fails when this file differs from what the suite produced.\n\n")
        .append("Invariants checked throughout: no scale-in on missing or doubtful information; never\n")
        .append("above `maxInstances` or below `minInstances`; a reason code for every hold; no\n")
        .append("exception escaping a handler except the invalid-input error that names the field;\n")
        .append("retries bounded (3 attempts, then the next scheduled run).\n\n")
        .append(sorted.size()).append(" scenarios, ").append(passed).append(" passed.\n");
    String area = null;
    int n = 0;
    for (JsonNode r : sorted) {
      if (!r.get("area").asText().equals(area)) {
        area = r.get("area").asText();
        md.append("\n## ").append(area).append("\n\n")
            .append("| # | Scenario | What the controller did | Test | Result |\n")
            .append("| --- | --- | --- | --- | --- |\n");
      }
      n++;
      md.append("| ").append(n).append(" | ").append(cell(r.get("scenario").asText()))
          .append(" | ").append(cell(r.get("did").asText()))
          .append(" | `").append(r.get("test").asText()).append("` | ")
          .append(r.get("passed").asBoolean() ? "pass" : "**FAIL**").append(" |\n");
    }
    return md.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
