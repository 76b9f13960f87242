package inferscale.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ForecastEvalCommandTest {
  private static final int DAY = 24 * 60;

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = InferScaleCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  /** Eight days of a smooth daily cycle: long enough for every baseline to forecast. */
  private Path eightDayTrace() throws IOException {
    StringBuilder csv = new StringBuilder("minute,requests\n");
    for (int m = 0; m < 8 * DAY; m++) {
      long requests = Math.round(60 - 40 * Math.cos(2 * Math.PI * (m % DAY) / DAY) + (m * 7919L % 11));
      csv.append(m).append(',').append(requests).append('\n');
    }
    return Files.writeString(dir.resolve("eight-days.csv"), csv);
  }

  @Test
  void jsonNamesTheTraceHorizonsAndEveryModel() throws IOException {
    Path trace = eightDayTrace();
    assertEquals(0, run("forecast-eval", "--trace", trace.toString(), "--format", "json"), err.toString());
    JsonNode root = new ObjectMapper().readTree(out.toString());
    assertEquals(trace.toString(), root.get("trace").asText());
    assertEquals("[10,30,60]", root.get("horizons").toString());
    JsonNode models = root.get("models");
    List<String> names = List.of("inferscale", "seasonal-naive-week", "seasonal-naive-day", "last-value");
    assertEquals(names.size(), models.size());
    for (int i = 0; i < names.size(); i++) {
      JsonNode model = models.get(i);
      assertEquals(names.get(i), model.get("name").asText());
      for (String horizon : List.of("10", "30", "60")) {
        assertTrue(model.get("smape").get(horizon).isNumber(), model.toString());
      }
      double coverage = model.get("upperCoverage").asDouble();
      assertTrue(coverage >= 0 && coverage <= 1, model.toString());
    }
  }

  @Test
  void aTraceTooShortToScoreFailsSayingHowLongItMustBe() throws IOException {
    Path trace = Files.writeString(dir.resolve("minute.csv"), "minute,requests\n0,5\n");
    assertEquals(1, run("forecast-eval", "--trace", trace.toString(), "--format", "json"));
    assertEquals("", out.toString());
    assertEquals("error: nothing to evaluate on " + trace + ": insufficient history: the trace"
        + " spans 1 minute, but a forecast needs 1440 minutes of history and 10 more to be scored"
        + " against: 1450 minutes in all\n", err.toString());
  }

  @Test
  void aTraceWithoutDemandFailsRatherThanScoringPerfectly() throws IOException {
    StringBuilder csv = new StringBuilder("minute,requests\n");
    for (int m = 0; m < 3 * DAY; m++) {
      csv.append(m).append(",0\n");
    }
    Path trace = Files.writeString(dir.resolve("zeros.csv"), csv);
    assertEquals(1, run("forecast-eval", "--trace", trace.toString()));
    assertEquals("", out.toString());
    assertEquals("error: nothing to evaluate on " + trace + ": every minute scored has 0 requests:"
        + " there is no demand to forecast\n", err.toString());
  }

  @Test
  void aModelThatCouldNotBeScoredShowsDashesNotNaN() throws IOException {
    // Two days: no week of history for seasonal-naive-week.
    StringBuilder csv = new StringBuilder("minute,requests\n");
    for (int m = 0; m < 2 * DAY; m++) {
      csv.append(m).append(',').append(50 + m % 13).append('\n');
    }
    Path trace = Files.writeString(dir.resolve("two-days.csv"), csv);
    assertEquals(0, run("forecast-eval", "--trace", trace.toString()), err.toString());
    assertFalse(out.toString().contains("NaN"), out.toString());
    assertTrue(out.toString().matches("(?s).*\nseasonal-naive-week( +-){6} +0\n.*"),
        out.toString());
    assertTrue(out.toString().contains("- not scored: the model needs more history"),
        out.toString());
  }

  @Test
  void missingTraceFileIsAUsageErrorWithExitCode2() {
    Path missing = dir.resolve("nope.csv");
    assertEquals(2, run("forecast-eval", "--trace", missing.toString()));
    assertTrue(err.toString().contains("--trace: no such file: " + missing), err.toString());
  }

  @Test
  void malformedTraceFileIsAUsageErrorNamingTheLine() throws IOException {
    Path trace = Files.writeString(dir.resolve("bad.csv"), "minute,requests\n0,5\n1,-6\n");
    assertEquals(2, run("forecast-eval", "--trace", trace.toString()));
    assertTrue(err.toString().contains("line 3"), err.toString());
  }

  @Test
  void candidatesScoresEachMethodAloneAndShowsTheBlendPerBand() throws IOException {
    Path trace = eightDayTrace();
    assertEquals(0, run("forecast-eval", "--trace", trace.toString(), "--format", "json",
        "--candidates"), err.toString());
    JsonNode models = new ObjectMapper().readTree(out.toString()).get("models");
    List<String> names = new java.util.ArrayList<>();
    models.forEach(model -> names.add(model.get("name").asText()));
    assertEquals(List.of("inferscale", "seasonal-naive-week", "seasonal-naive-day", "last-value",
        "candidate:seasonal-profile", "candidate:holt-winters", "candidate:last-value",
        "candidate:mean-10m", "candidate:mean-60m", "candidate:damped-trend"), names);
    JsonNode blend = models.get(0).get("blend");
    assertEquals(4, blend.size(), blend.toString());
    assertEquals(15, blend.get(0).get("throughMinute").asInt());
    assertTrue(blend.get(3).get("throughMinute").isNull(), "the last band has no end");
    for (JsonNode band : blend) {
      double sum = 0;
      for (JsonNode weight : band.get("meanWeights")) {
        sum += weight.asDouble();
      }
      assertEquals(1, sum, 1e-9, band.toString());
    }
    assertFalse(models.get(3).has("blend"), "a single method blends nothing");
  }

  @Test
  void aSyntheticFamilyIsGeneratedFromItsNameAndSeed() {
    assertEquals(0, run("forecast-eval", "--trace", "synthetic:holiday:7"), err.toString());
    assertTrue(out.toString().startsWith("trace: synthetic holiday seed 7\n"), out.toString());
  }

  @Test
  void anUnknownSyntheticFamilyIsAUsageErrorListingTheFamilies() {
    assertEquals(2, run("forecast-eval", "--trace", "synthetic:weekly-spikes"));
    assertTrue(err.toString().contains("--trace synthetic:weekly-spikes: no synthetic family"
        + " 'weekly-spikes'; the families are llm-fleet-steps, llm-fleet-drift, bursty-web,"
        + " multimodal, new-client, holiday, growth, office-hours"), err.toString());
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    assertEquals(2, run("forecast-eval", "--trace", "synthetic:holiday:x"));
    assertTrue(err.toString().contains("the seed 'x' is not a whole number"), err.toString());
  }

  @Test
  void theTraceHelpNamesEverySyntheticFamily() {
    assertEquals(0, run("forecast-eval", "--help"));
    String help = out.toString().replaceAll("\\s+", " ");
    for (String family : inferscale.trace.SyntheticTraces.names()) {
      assertTrue(help.contains(family), family + " missing from: " + help);
    }
  }
}
