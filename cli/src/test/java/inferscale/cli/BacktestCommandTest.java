package inferscale.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestCommandTest {
  @TempDir static Path dir;
  static Path smallTrace;

  @BeforeAll
  static void writeSmallTrace() throws Exception {
    StringBuilder csv = new StringBuilder("timestamp,minute,requests,input_tokens,output_tokens\n");
    for (int m = 0; m < 180; m++) {
      if (m >= 100 && m < 110) {
        continue; // a gap
      }
      long requests = 200 + Math.round(150 * Math.sin(m / 20.0));
      csv.append(String.format("2024-05-01T%02d:%02d:00Z,%d,%d,,%n", m / 60, m % 60, m, requests));
    }
    smallTrace = dir.resolve("small.csv");
    Files.writeString(smallTrace, csv);
  }

  @Test
  void scalingToZeroSavesTheIdleHoursAndTargetTrackingKeepsItsMinimum() throws Exception {
    // Two days of office hours, 9:00 to 17:00, and nothing in between.
    StringBuilder csv = new StringBuilder("minute,requests\n");
    for (int m = 0; m < 2 * 24 * 60; m++) {
      int hour = (m % (24 * 60)) / 60;
      csv.append(m).append(',').append(hour >= 9 && hour < 17 ? 30 + m % 7 : 0).append('\n');
    }
    Path office = dir.resolve("office.csv");
    Files.writeString(office, csv);
    ObjectMapper json = new ObjectMapper();
    JsonNode always = json.readTree(CliRun.of("backtest", "--trace", office.toString(),
        "--peak-instances", "2", "--format", "json").out());
    CliRun run = CliRun.of("backtest", "--trace", office.toString(), "--peak-instances", "2",
        "--scale-to-zero", "30", "--format", "json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode toZero = json.readTree(run.out());
    assertEquals(0, toZero.at("/parameters/inferscaleBounds/minInstances").asInt());
    assertEquals(30, toZero.at("/parameters/inferscaleBounds/scaleToZeroAfterMinutes").asInt());
    assertEquals(1, toZero.at("/parameters/bounds/minInstances").asInt());
    assertEquals(always.at("/policies/2"), toZero.at("/policies/2"), "target tracking unchanged");
    double before = always.at("/policies/4/instanceHours").asDouble();
    double after = toZero.at("/policies/4/instanceHours").asDouble();
    // Sixteen idle hours a day, less the idle half hour before each: at least 2 × 15 hours saved.
    assertTrue(after <= before - 30, before + " → " + after);
    assertTrue(toZero.at("/policies/4/unservedPct").asDouble() > 0,
        "the first requests of each morning meet nothing serving");

    CliRun bad = CliRun.of("backtest", "--trace", office.toString(), "--scale-to-zero", "0");
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().contains("--scale-to-zero must be at least 1 idle minute, got 0"),
        bad.err());
  }

  @Test
  void schedulesServeANightlyBatchForInferScaleAloneAndBadOnesAreNamed() throws Exception {
    // Two days at 30 requests a minute, and 300 from 03:00 to 03:30 UTC (minute 0 is midnight).
    StringBuilder csv = new StringBuilder("minute,requests\n");
    for (int m = 0; m < 2 * 24 * 60; m++) {
      int minuteOfDay = m % (24 * 60);
      csv.append(m).append(',').append(minuteOfDay >= 180 && minuteOfDay < 210 ? 300 : 30)
          .append('\n');
    }
    Path batch = dir.resolve("batch.csv");
    Files.writeString(batch, csv);
    ObjectMapper json = new ObjectMapper();
    JsonNode without = json.readTree(CliRun.of("backtest", "--trace", batch.toString(),
        "--format", "json").out());
    CliRun run = CliRun.of("backtest", "--trace", batch.toString(), "--format", "json",
        "--schedules", "[{\"name\": \"batch\", \"cron\": \"0-29 3 * * ? *\", \"timeZone\":"
            + " \"UTC\", \"minInstances\": 22}]");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode with = json.readTree(run.out());
    assertEquals(without.at("/policies/2"), with.at("/policies/2"), "target tracking unchanged");
    double unscheduled = without.at("/policies/4/unservedPct").asDouble();
    assertTrue(unscheduled > 1, without.toString());
    assertTrue(with.at("/policies/4/unservedPct").asDouble() < unscheduled / 10, with.toString());
    assertEquals(0, with.at("/policies/3/unservedPct").asDouble(), 1e-9, "reactive");

    CliRun notJson = CliRun.of("backtest", "--trace", batch.toString(), "--schedules", "[{");
    assertEquals(2, notJson.exitCode());
    assertTrue(notJson.err().startsWith("--schedules is not valid JSON"), notJson.err());
    CliRun notArray = CliRun.of("backtest", "--trace", batch.toString(), "--schedules", "{}");
    assertEquals(2, notArray.exitCode());
    assertTrue(notArray.err().startsWith("--schedules must be a JSON array"), notArray.err());
    CliRun badCron = CliRun.of("backtest", "--trace", batch.toString(), "--schedules",
        "[{\"cron\": \"every night\", \"timeZone\": \"UTC\", \"minInstances\": 2}]");
    assertEquals(2, badCron.exitCode());
    assertTrue(badCron.err().startsWith("invalid options: --schedules: schedules[0].cron"),
        badCron.err());
  }

  @Test
  void jsonFollowsTheContractWithEveryPolicyInOrder() throws Exception {
    CliRun run = CliRun.of("backtest", "--trace", smallTrace.toString(), "--format", "json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode report = new ObjectMapper().readTree(run.out());
    List<String> top = new ArrayList<>();
    report.fieldNames().forEachRemaining(top::add);
    assertEquals(List.of("trace", "parameters", "policies"), top);
    assertEquals(smallTrace.toString(), report.get("trace").asText());
    JsonNode parameters = report.get("parameters");
    List<String> parameterNames = new ArrayList<>();
    parameters.fieldNames().forEachRemaining(parameterNames::add);
    assertEquals(List.of("muPerInstance", "capacitySource", "peakInstances", "targetUtilization",
        "inferscaleTargetUtilization", "bounds", "inferscaleBounds", "coldStartMinutes",
        "metricDelayMinutes", "forecastIntervalMinutes", "scoredFromMinute"), parameterNames);
    assertEquals(20, parameters.get("peakInstances").asInt());
    assertEquals("p99 minute / peak instances", parameters.get("capacitySource").asText());
    assertEquals(0.7, parameters.get("targetUtilization").asDouble());
    assertEquals(0.7, parameters.get("inferscaleTargetUtilization").asDouble(), 1e-9);
    assertEquals(parameters.get("bounds"), parameters.get("inferscaleBounds"));
    assertEquals(1, parameters.at("/bounds/minInstances").asInt());
    assertEquals(80, parameters.at("/bounds/maxInstances").asInt(), "4 times the p99 fleet");
    assertEquals(0, parameters.get("scoredFromMinute").asInt());
    List<String> names = new ArrayList<>();
    for (JsonNode policy : report.get("policies")) {
      names.add(policy.get("name").asText());
      List<String> fields = new ArrayList<>();
      policy.fieldNames().forEachRemaining(fields::add);
      assertEquals(List.of("name", "instanceHours", "costRatio", "unservedPct",
          "underProvisionedMinutesPct", "scaleEvents"), fields);
    }
    assertEquals(List.of("static-peak", "clairvoyant", "target-tracking", "reactive",
        "inferscale"), names);
    assertEquals(0.0, report.get("policies").get(0).get("unservedPct").asDouble());
  }

  @Test
  void tableOnTheBuiltInTraceMatchesTheReferenceFigures() {
    CliRun run = CliRun.of("backtest");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().startsWith("Backtest of built-in:nasa_http_1995_per_minute.csv"));
    assertTrue(run.out().contains("scored from minute 10080"), run.out());
    // Independent reference: static-peak 9.47, clairvoyant 1.456 with 0 % unserved,
    // target tracking about 1.82 with about 2 % unserved.
    assertTrue(run.out().matches("(?s).*static-peak +[0-9,.]+ +9\\.468 +0\\.000 .*"), run.out());
    assertTrue(run.out().matches("(?s).*clairvoyant +[0-9,.]+ +1\\.456 +0\\.000 .*"), run.out());
    assertTrue(run.out().matches("(?s).*target-tracking +[0-9,.]+\\*? +1\\.8[0-4]\\d\\*? +2\\.\\d+.*"),
        run.out());
    assertCheaperThanTargetTrackingAndServesMore(run.out(), false);
  }

  @Test
  void onTheAzureHourInferScaleDoesAtLeastAsWellAsTargetTrackingWithoutAForecast() {
    CliRun run = CliRun.of("backtest", "--trace",
        Path.of("..", "docs", "traces", "azure_llm_2023_conv_per_minute.csv").toString());
    assertEquals(0, run.exitCode(), run.err());
    assertCheaperThanTargetTrackingAndServesMore(run.out(), true);
    assertTrue(row(run.out(), "inferscale")[1] <= 0.1, run.out());
  }

  /** inferscale's cost ratio is at most target tracking's, and so is its unserved share. */
  private static void assertCheaperThanTargetTrackingAndServesMore(String table, boolean tieOk) {
    double[] tt = row(table, "target-tracking");
    double[] inferscale = row(table, "inferscale");
    assertTrue(inferscale[0] <= tt[0], table);
    assertTrue(tieOk ? inferscale[1] <= tt[1] : inferscale[1] < tt[1], table);
  }

  /** {cost ratio, unserved %} of a policy's row in the table. */
  private static double[] row(String table, String policy) {
    for (String line : table.split("\n")) {
      String[] cells = line.replace("*", "").trim().split(" +");
      if (cells.length == 6 && cells[0].equals(policy)) {
        return new double[] {Double.parseDouble(cells[2]), Double.parseDouble(cells[3])};
      }
    }
    throw new AssertionError("no row for " + policy + " in\n" + table);
  }

  @Test
  void writesPngAndSvgCharts() throws Exception {
    Path png = dir.resolve("chart.png");
    CliRun run = CliRun.of("backtest", "--trace", smallTrace.toString(), "--chart", png.toString());
    assertEquals(0, run.exitCode());
    assertEquals("chart written to " + png.toAbsolutePath() + "\n", run.err());
    assertEquals(1400, ImageIO.read(png.toFile()).getWidth());

    Path svg = dir.resolve("chart.svg");
    assertEquals(0, CliRun.of("backtest", "--trace", smallTrace.toString(), "--chart", svg.toString())
        .exitCode());
    String text = Files.readString(svg);
    assertTrue(text.startsWith("<svg") || text.startsWith("<?xml"), text.substring(0, 40));
    assertTrue(text.contains("target-tracking") && text.contains("Busiest day"));
  }

  @Test
  void aBadTraceNamesTheLineAndWritesNothing() throws Exception {
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "minute,requests\n0,5\n1,five\n");
    Path chart = dir.resolve("never.png");
    CliRun run = CliRun.of("backtest", "--trace", bad.toString(), "--chart", chart.toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("line 3: column 'requests' must be a non-negative whole number,"
        + " found 'five'"), run.err());
    assertEquals("", run.out());
    assertFalse(Files.exists(chart));
  }

  @Test
  void aChartThatCannotBeWrittenIsRefusedBeforeTheTraceIsEvenRead() throws Exception {
    Path badTrace = Files.writeString(dir.resolve("unread.csv"), "minute,requests\n0,five\n");
    Path nowhere = dir.resolve("no-such-folder").resolve("chart.png");
    CliRun missingFolder =
        CliRun.of("backtest", "--trace", badTrace.toString(), "--chart", nowhere.toString());
    assertEquals(2, missingFolder.exitCode());
    assertEquals("--chart: the folder " + nowhere.getParent() + " does not exist",
        missingFolder.err().lines().findFirst().orElseThrow());

    Path folder = Files.createDirectories(dir.resolve("folder.png"));
    CliRun isFolder =
        CliRun.of("backtest", "--trace", badTrace.toString(), "--chart", folder.toString());
    assertEquals(2, isFolder.exitCode());
    assertEquals("--chart: " + folder + " is a folder; give a file name ending in .svg or .png",
        isFolder.err().lines().findFirst().orElseThrow());
    // An empty name is the working folder, which the message then names.
    CliRun empty = CliRun.of("backtest", "--trace", badTrace.toString(), "--chart", "");
    assertEquals(2, empty.exitCode());
    assertEquals("--chart: " + Path.of("").toAbsolutePath()
        + " is a folder; give a file name ending in .svg or .png",
        empty.err().lines().findFirst().orElseThrow());
    // Writable by its permissions to root, yet no file can be made there: refused up front too.
    CliRun proc = CliRun.of("backtest", "--trace", badTrace.toString(), "--chart",
        "/proc/chart.png");
    assertEquals(2, proc.exitCode());
    String procError = proc.err().lines().findFirst().orElseThrow();
    assertTrue(procError.startsWith("--chart: ") && procError.contains("the folder /proc"),
        procError);
  }

  @Test
  void aTraceFileThatCannotBeSavedIsRefusedBeforeTheEndpointIsRead() throws Exception {
    // Refused before any AWS call: no emulator, no credentials needed.
    Path nowhere = dir.resolve("no-such-folder").resolve("trace.csv");
    CliRun missingFolder = CliRun.of("backtest", "--endpoint", "not-read",
        "--save-trace", nowhere.toString());
    assertEquals(2, missingFolder.exitCode());
    assertEquals("--save-trace: the folder " + nowhere.getParent() + " does not exist",
        missingFolder.err().lines().findFirst().orElseThrow());
    CliRun folder = CliRun.of("backtest", "--endpoint", "not-read", "--save-trace",
        dir.toString());
    assertEquals(2, folder.exitCode());
    assertEquals("--save-trace: " + dir + " is a folder; give a file name",
        folder.err().lines().findFirst().orElseThrow());
    assertEquals("", missingFolder.out() + folder.out());
  }

  @Test
  void aTraceThatIsAFolderOrNotTextSaysSoOnce() throws Exception {
    CliRun folder = CliRun.of("backtest", "--trace", dir.toString());
    assertEquals(2, folder.exitCode());
    assertEquals(List.of("--trace: " + dir + " is a folder, not a file",
        "Run 'inferscale backtest --help' for usage."), folder.err().lines().toList());

    Path image = Files.write(dir.resolve("image.csv"),
        new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
    CliRun binary = CliRun.of("backtest", "--trace", image.toString());
    assertEquals(2, binary.exitCode());
    assertEquals("--trace: " + image + " is not UTF-8 text",
        binary.err().lines().findFirst().orElseThrow());
  }

  @Test
  void aMinuteNoEndpointCouldServeIsRejectedNamingTheLine() throws Exception {
    Path wrapped = dir.resolve("wrapped.csv");
    Files.writeString(wrapped, "minute,requests\n0,5\n1,10000000000\n2,5\n");
    CliRun run = CliRun.of("backtest", "--trace", wrapped.toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("--trace: " + wrapped + ", line 3: column 'requests' is"
        + " 10000000000, more than the 600000000 requests a minute"), run.err());
    assertEquals("", run.out());
  }

  @Test
  void badOptionsNameTheFlag() {
    CliRun run = CliRun.of("backtest", "--trace", smallTrace.toString(), "--cold-start", "-3",
        "--target-utilization", "1.5");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--cold-start must be between 0 and 120, got -3"), run.err());
    assertTrue(run.err().contains("--target-utilization must be in (0, 1], got 1.5"), run.err());

    CliRun chart = CliRun.of("backtest", "--chart", "out.gif");
    assertEquals(2, chart.exitCode());
    assertTrue(chart.err().contains("--chart: the file name must end in .svg or .png"));

    CliRun missing = CliRun.of("backtest", "--trace", dir.resolve("nope.csv").toString());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("--trace: no such file"), missing.err());
  }

  @Test
  void aBadPolicyFieldKeepsTheNameTheUserTypedOnce() {
    CliRun run = CliRun.of("backtest", "--trace", smallTrace.toString(), "--policy",
        "{\"targets\": {\"rpsPerInstance\": -1, \"maxRpsPerInstance\": -6},"
            + " \"bounds\": {\"minInstances\": 5, \"maxInstances\": 2}}");
    assertEquals(2, run.exitCode());
    assertEquals("invalid options: --policy: bounds.maxInstances (2) must be ≥"
        + " bounds.minInstances (5); --policy: targets.rpsPerInstance must be a positive number,"
        + " got -1.0; --policy: targets.maxRpsPerInstance must be a positive number, got -6.0",
        run.err().lines().findFirst().orElseThrow());
  }

  @Test
  void aPolicyBeyondWhatTheOptionsAllowIsRefusedAsTheyAre() {
    CliRun run = CliRun.of("backtest", "--trace", smallTrace.toString(), "--policy",
        "{\"bounds\": {\"maxInstances\": 200000}, \"targets.maxRpsPerInstance\": 1e308}");
    assertEquals(2, run.exitCode());
    assertEquals("invalid options: --policy: bounds.maxInstances must be at most 100000 in a"
        + " backtest, got 200000; --policy: targets.maxRpsPerInstance must be at most"
        + " 10000000, got 1.0E308", run.err().lines().findFirst().orElseThrow());
  }

  @Test
  void aPolicyServingUnderOneRequestASecondPerInstanceRuns() {
    // Its target comes from the capacity it names (0.7 of it), not the engine's default of 1.
    CliRun run = CliRun.of("backtest", "--trace", smallTrace.toString(), "--policy",
        "{\"targets\": {\"maxRpsPerInstance\": 0.5}, \"budget\": {\"unservedPercent\": 1}}");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("inferscale "), run.out());
  }

  @Test
  void aBandsBudgetBelowAFullTargetIsNotedAsLikelyUnspent() {
    String policy = "{\"targets.floorBand\": 0.65, \"budget\": {\"unservedPercent\": 1}}";
    CliRun atSeventy = CliRun.of("backtest", "--trace", smallTrace.toString(), "--policy", policy);
    assertEquals(0, atSeventy.exitCode(), atSeventy.err());
    assertTrue(atSeventy.err().contains("note: with targets.floorBand the budget moves the band"
        + " and leaves the target at 70 % of mu, which may leave the budget unspent;"
        + " --target-utilization 1 runs the forecast-led point the sweep runs"), atSeventy.err());
    // The table says what the budget came to.
    assertTrue(atSeventy.out().matches("(?s).*InferScale held budget\\.unservedPercent 1\\.0 %:"
        + " [0-9.]+ % of the scored requests went unserved, [0-9.]+ times the budget .*"),
        atSeventy.out());
    CliRun forecastLed = CliRun.of("backtest", "--trace", smallTrace.toString(), "--policy",
        policy, "--target-utilization", "1");
    assertEquals(0, forecastLed.exitCode(), forecastLed.err());
    assertFalse(forecastLed.err().contains("note:"), forecastLed.err());
  }

  @Test
  void anEmptyPolicyIsRefusedNotTakenForNone() {
    CliRun empty = CliRun.of("backtest", "--trace", smallTrace.toString(), "--policy", " ");
    assertEquals(2, empty.exitCode());
    assertEquals("--policy is empty: give a JSON object, or leave --policy out for the defaults",
        empty.err().lines().findFirst().orElseThrow());
    // JSON null is no more "none" than a blank is; an array is no policy, not even with
    // --scale-to-zero, which adds bounds to the policy.
    CliRun nullPolicy = CliRun.of("backtest", "--trace", smallTrace.toString(), "--policy",
        "null");
    assertEquals(2, nullPolicy.exitCode());
    assertEquals("--policy must be a JSON object, got null",
        nullPolicy.err().lines().findFirst().orElseThrow());
    CliRun array = CliRun.of("backtest", "--trace", smallTrace.toString(), "--scale-to-zero",
        "30", "--policy", "[]");
    assertEquals(2, array.exitCode());
    assertEquals("--policy must be a JSON object, got []",
        array.err().lines().findFirst().orElseThrow());
    // Jackson's internals stay out of the message; where the text went wrong is in it.
    CliRun trailing = CliRun.of("backtest", "--trace", smallTrace.toString(), "--policy",
        "{\"a\": 1} {\"x\": 1}");
    assertEquals("--policy is not valid JSON: Trailing token (of type START_OBJECT) found after"
        + " value at line 1, column 10", trailing.err().lines().findFirst().orElseThrow());
  }

  @Test
  void twoCapacitiesThatDifferAreNamedBoth() {
    CliRun run = CliRun.of("backtest", "--trace", smallTrace.toString(), "--rps-per-instance",
        "1", "--policy", "{\"targets\": {\"rpsPerInstance\": 0.5, \"maxRpsPerInstance\": 2}}");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.err().contains("note: --rps-per-instance (1 a second) is what every policy's"
        + " instances serve here; InferScale's floor and budget still take the policy's"
        + " targets.maxRpsPerInstance (2) as what one serves"), run.err());
  }

  @Test
  void scaleToZeroSaysWhichOfThePolicysBoundsItReplaces() {
    CliRun run = CliRun.of("backtest", "--trace", smallTrace.toString(), "--scale-to-zero", "30",
        "--policy", "{\"minInstances\": 2, \"bounds\": {\"maxInstances\": 12}}");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.err().contains("note: --scale-to-zero replaces the policy's"
        + " bounds.minInstances"), run.err());
    assertTrue(run.out().contains("(InferScale's policy: 0 to 12)"), run.out());
    // Bounds that are no group stay wrong: refused as without --scale-to-zero.
    CliRun badBounds = CliRun.of("backtest", "--trace", smallTrace.toString(), "--scale-to-zero",
        "30", "--policy", "{\"bounds\": 5}");
    assertEquals(2, badBounds.exitCode());
    assertTrue(badBounds.err().contains("bounds must be a JSON object"), badBounds.err());
    // Without --scale-to-zero the flat name still works, and is named as deprecated, as the
    // Lambdas log it.
    CliRun flat = CliRun.of("backtest", "--trace", smallTrace.toString(), "--policy",
        "{\"minInstances\": 2}");
    assertEquals(0, flat.exitCode(), flat.err());
    assertTrue(flat.err().contains("note: --policy field minInstances is deprecated; give it as"
        + " bounds.minInstances"), flat.err());
  }

  @Test
  void aPolicyTargetAboveWhatAnInstanceServesRunsAsDeployedOrIsRefusedWhereTheyCompare() {
    // 4 requests a second is far above this trace's relative mu: it runs as deployed, noted.
    String target = "{\"targets\": {\"rpsPerInstance\": 4}}";
    CliRun relative = CliRun.of("backtest", "--trace", smallTrace.toString(), "--policy", target);
    assertEquals(0, relative.exitCode(), relative.err());
    assertTrue(relative.err().matches("(?s)note: the policy's targets\\.rpsPerInstance \\(4\\.0 a"
        + " second\\) is above mu, [0-9.]+ a second, a relative figure here \\(the trace's p99"
        + " minute over 20 instances\\): InferScale runs as deployed, and --rps-per-instance, .*"),
        relative.err());
    assertTrue(relative.out().contains("inferscale "), relative.out());
    // A budget would count served requests at mu: refused, naming both rates and the way out.
    CliRun budget = CliRun.of("backtest", "--trace", smallTrace.toString(), "--policy",
        "{\"targets\": {\"rpsPerInstance\": 4}, \"budget\": {\"unservedPercent\": 0.5}}");
    assertEquals(2, budget.exitCode());
    String refusal = budget.err().lines().findFirst().orElseThrow();
    assertTrue(refusal.matches("--policy: targets\\.rpsPerInstance \\(4\\.0 a second\\) is above"
        + " what one instance serves here, [0-9.]+ a second \\(from p99 minute / peak"
        + " instances\\): no fleet would meet it; give --rps-per-instance, .*"), refusal);
    assertEquals("", budget.out());
    // A sweep sets the target itself: the policy's is not used, and said so.
    CliRun sweep = CliRun.of("backtest", "--trace", smallTrace.toString(), "--sweep", "--policy",
        target);
    assertEquals(0, sweep.exitCode(), sweep.err());
    assertTrue(sweep.err().contains("note: --sweep sets the target itself: the policy's"
        + " targets.rpsPerInstance is not used"), sweep.err());
    // Above a load-tested rate, whatever capacity the policy names: refused, that rate named.
    for (String policy : List.of("{\"targets\": {\"rpsPerInstance\": 2}}",
        "{\"targets\": {\"rpsPerInstance\": 2, \"maxRpsPerInstance\": 3}}")) {
      CliRun loadTested = CliRun.of("backtest", "--trace", smallTrace.toString(),
          "--rps-per-instance", "1", "--policy", policy);
      assertEquals(2, loadTested.exitCode(), policy);
      assertEquals("--policy: targets.rpsPerInstance (2.0 a second) is above what one instance"
          + " serves here, 1.000 a second (from rps-per-instance): no fleet would meet it",
          loadTested.err().lines().findFirst().orElseThrow());
    }
    // Another problem of the policy with the backtest's bounds: named, and no hint about rates.
    CliRun bounds = CliRun.of("backtest", "--trace", smallTrace.toString(), "--max-instances",
        "80", "--policy", "{\"bounds\": {\"minInstances\": 90}}");
    assertEquals(2, bounds.exitCode());
    assertEquals("--policy: bounds.maxInstances (80) must be ≥ bounds.minInstances (90)",
        bounds.err().lines().findFirst().orElseThrow());
    // At or below it, the policy's own target runs.
    CliRun within = CliRun.of("backtest", "--trace", smallTrace.toString(),
        "--rps-per-instance", "1", "--policy", "{\"targets\": {\"rpsPerInstance\": 1}}");
    assertEquals(0, within.exitCode(), within.err());
    assertTrue(within.out().contains("inferscale "), within.out());
    // The header says which target each runs at: target tracking the backtest's, InferScale its
    // own.
    assertTrue(within.out().contains("; target 70.0 % of mu (InferScale's policy: 100.0 %);"),
        within.out());
  }

  @Test
  void theFloorKeepsOneInstanceAsTheClairvoyantDoesWhateverTheMinimum() throws Exception {
    // Policies kept at 3 or more: the floor still bounds the clairvoyant, which keeps one, so
    // it is the floor of a minimum of one (kept at 3 it cost more than the clairvoyant).
    JsonNode atOne = new ObjectMapper().readTree(CliRun.of("backtest", "--trace",
        smallTrace.toString(), "--sweep", "--format", "json").out());
    CliRun run = CliRun.of("backtest", "--trace", smallTrace.toString(), "--sweep",
        "--min-instances", "3", "--format", "json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode atThree = new ObjectMapper().readTree(run.out());
    assertEquals(atOne.get("floor"), atThree.get("floor"));
  }

  @Test
  void theSweepsJsonGivesBothFrontiersAndTheSavingAtEachTargetTrackingPoint() throws Exception {
    CliRun run = CliRun.of("backtest", "--trace", smallTrace.toString(), "--sweep", "--format",
        "json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode frontier = new ObjectMapper().readTree(run.out());
    List<String> top = new ArrayList<>();
    frontier.fieldNames().forEachRemaining(top::add);
    assertEquals(List.of("trace", "parameters", "clairvoyant", "targetTracking", "inferscale",
        "inferscaleForecastLed", "inferscaleBudget", "floor", "savings"), top);
    for (String side : List.of("targetTracking", "inferscale")) {
      List<Double> knobs = new ArrayList<>();
      for (JsonNode point : frontier.get(side)) {
        List<String> fields = new ArrayList<>();
        point.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("knob", "costRatio", "unservedPct", "instanceHours"), fields);
        knobs.add(point.get("knob").asDouble());
      }
      assertEquals(List.of(0.4, 0.5, 0.6, 0.7, 0.8, 0.9), knobs);
    }
    // The clairvoyant is swept over nothing: no knob, not a target of 0.
    assertTrue(frontier.at("/clairvoyant/knob").isNull(), frontier.get("clairvoyant").toString());
    assertEquals(0, frontier.at("/clairvoyant/unservedPct").asDouble());
    JsonNode saving = frontier.at("/savings/3");
    List<String> fields = new ArrayList<>();
    saving.fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("target", "unservedPct", "targetTrackingCostRatio",
        "inferscaleCostRatio", "savingPercent", "forecastLedCostRatio",
        "forecastLedSavingPercent", "budgetCostRatio", "budgetSavingPercent", "floorCostRatio",
        "floorSavingPercent"), fields);
    // No policy beats the floor: neither target tracking nor InferScale costs less than it.
    assertTrue(saving.get("floorCostRatio").asDouble()
        <= saving.get("targetTrackingCostRatio").asDouble());
    if (saving.hasNonNull("inferscaleCostRatio")) {
      assertTrue(saving.get("floorCostRatio").asDouble()
          <= saving.get("inferscaleCostRatio").asDouble());
    }
    List<Double> budgets = new ArrayList<>();
    frontier.get("inferscaleBudget").forEach(p -> budgets.add(p.get("knob").asDouble()));
    assertEquals(List.of(0.1, 0.2, 0.5, 1.0, 2.0, 5.0), budgets);
    List<Double> bands = new ArrayList<>();
    frontier.get("inferscaleForecastLed").forEach(p -> bands.add(p.get("knob").asDouble()));
    assertEquals(List.of(0.2, 0.4, 0.65, 1.0), bands);
    // A wider band holds more: cost never falls as the band widens.
    for (int i = 1; i < bands.size(); i++) {
      assertTrue(frontier.at("/inferscaleForecastLed/" + i + "/costRatio").asDouble()
          >= frontier.at("/inferscaleForecastLed/" + (i - 1) + "/costRatio").asDouble(),
          frontier.get("inferscaleForecastLed").toString());
    }
    assertEquals(frontier.at("/targetTracking/3/unservedPct"), saving.get("unservedPct"));
    // The sweep sets each run's target: no one target describes it.
    assertTrue(frontier.at("/parameters/targetUtilization").isNull(), frontier.toString());
    // The 0.7 point is the plain backtest's target-tracking row.
    JsonNode single = new ObjectMapper().readTree(CliRun.of("backtest", "--trace",
        smallTrace.toString(), "--format", "json").out());
    assertEquals(single.at("/policies/2/costRatio"), frontier.at("/targetTracking/3/costRatio"));
    assertEquals(single.at("/policies/4/costRatio"), frontier.at("/inferscale/3/costRatio"));
    // The forecast-led 0.65 point is the plain backtest at target 1 with that band.
    JsonNode led = new ObjectMapper().readTree(CliRun.of("backtest", "--trace",
        smallTrace.toString(), "--target-utilization", "1", "--policy",
        "{\"targets.floorBand\": 0.65}", "--format", "json").out());
    assertEquals(led.at("/policies/4/costRatio"),
        frontier.at("/inferscaleForecastLed/2/costRatio"));
    assertEquals(led.at("/policies/4/unservedPct"),
        frontier.at("/inferscaleForecastLed/2/unservedPct"));
  }

  @Test
  void withABandInThePolicyTheSweepsBudgetsRunForecastLedAndMoveIt() throws Exception {
    String band = "{\"targets.floorBand\": 0.65}";
    CliRun run = CliRun.of("backtest", "--trace", smallTrace.toString(), "--sweep", "--policy",
        band, "--format", "json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode frontier = new ObjectMapper().readTree(run.out());
    // The 0.5 % budget is the plain backtest at target 1, with that band and budget.
    JsonNode held = new ObjectMapper().readTree(CliRun.of("backtest", "--trace",
        smallTrace.toString(), "--target-utilization", "1", "--policy",
        "{\"targets.floorBand\": 0.65, \"budget.unservedPercent\": 0.5}", "--format", "json")
        .out());
    assertEquals(held.at("/policies/4/costRatio"), frontier.at("/inferscaleBudget/2/costRatio"));
    assertEquals(held.at("/policies/4/unservedPct"),
        frontier.at("/inferscaleBudget/2/unservedPct"));
  }

  @Test
  void aBudgetInThePolicyMovesOnlyTheSweepsBudgetRuns() throws Exception {
    JsonNode plain = new ObjectMapper().readTree(CliRun.of("backtest", "--trace",
        smallTrace.toString(), "--sweep", "--format", "json").out());
    CliRun run = CliRun.of("backtest", "--trace", smallTrace.toString(), "--sweep", "--policy",
        "{\"budget\": {\"unservedPercent\": 5}}", "--format", "json");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.err().contains("note: --sweep holds budgets of 0.1, 0.2, 0.5, 1.0, 2.0, 5.0 %"
        + " itself: the policy's budget.unservedPercent is not used, its bounds are"), run.err());
    JsonNode budgeted = new ObjectMapper().readTree(run.out());
    // Each frontier holds its own knob: the policy's budget must not hold the target runs.
    for (String side : List.of("targetTracking", "inferscale", "inferscaleForecastLed",
        "inferscaleBudget")) {
      assertEquals(plain.get(side), budgeted.get(side), side);
    }
  }

  @Test
  void aSweepOfLessThanADayIsNotedAsTooShortToJudge() {
    CliRun run = CliRun.of("backtest", "--trace", smallTrace.toString(), "--sweep");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.err().contains("note: the trace covers 180 minutes, less than a day: a few"
        + " minutes decide every point"), run.err());
    CliRun single = CliRun.of("backtest", "--trace", smallTrace.toString());
    assertFalse(single.err().contains("less than a day"), single.err());
  }

  @Test
  void theSweepChoosesTheTargetsItself() {
    CliRun run = CliRun.of("backtest", "--sweep", "--target-utilization", "0.6");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("--sweep sweeps the target utilisation itself"), run.err());
  }
}
