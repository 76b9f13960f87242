package inferscale.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.aws.AwsClientSettings;
import inferscale.aws.ForecastWiring;
import inferscale.aws.adapters.InferScaleMetrics;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.adapters.ScalerRecords;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.EmbeddedMetrics;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.backtest.Backtest.ControlLoopReplay;
import inferscale.backtest.Backtest;
import inferscale.backtest.BacktestParameters;
import inferscale.backtest.Fleet;
import inferscale.backtest.ShadowScore;
import inferscale.backtest.ShadowScore.Scored;
import inferscale.backtest.SimulationClock;
import inferscale.control.ForecastStep;
import inferscale.control.ScalerOutcome;
import inferscale.control.ScalerStep;
import inferscale.decision.ReasonCode;
import inferscale.decision.Timing;
import inferscale.forecast.Forecaster;
import inferscale.forecaster.ForecastHandler;
import inferscale.json.Json;
import inferscale.scaler.ScalerHandler;
import inferscale.trace.Trace;
import inferscale.trace.TraceCsv;
import inferscale.units.RequestRate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * The backtest runs the very code the Lambdas run. Six hours of the built-in trace (after three
 * days of history) are replayed minute by minute through the deployed handlers against the
 * emulator, with a clock the test moves: each minute's Invocations reach CloudWatch after the
 * metric delay, the ForecastHandler runs on its interval, the ScalerHandler every minute, the
 * scaler's Embedded Metric Format lines are extracted into CloudWatch as Lambda's log pipeline
 * does, and the endpoint's serving count follows the simulator's own cold-start model ({@link
 * Fleet}, driven by the desired count SageMaker reports after each cycle). The clock stands at a
 * different second of each minute, as a scheduled invocation would. Every minute the whole
 * decision (desired count, action, reason codes, trail, floors, signals, sentence), whether it
 * was applied, and the forecast the scaler read must equal what the backtest's {@code inferscale}
 * and {@code reactive} policies decided on the same minutes.
 */
@ExtendWith(AwsEmulator.class)
class ReplayEquivalenceTest {
  private static final Path BUILT_IN_TRACE = Path.of("..", "..", "cli", "src", "main",
      "resources", "traces", "nasa_http_1995_per_minute.csv");
  /** Three days of history: the forecaster needs a day, its seasonal profile more. */
  private static final int HISTORY_MINUTES = 3 * 24 * 60;
  private static final int REPLAY_MINUTES = 6 * 60;
  /** The replay starts on day 10 of the built-in trace at 09:00 local time: a weekday morning. */
  private static final int START = 9 * 24 * 60 + 9 * 60;
  /** Where the slice's minute 0 is put on the clock. */
  private static final Instant ORIGIN = Instant.parse("2026-10-01T00:00:00Z");

  @Test
  void theDeployedFunctionsDecideWhatTheBacktestDecidesEveryMinute(AwsEmulator.Running emulator)
      throws Exception {
    Trace trace = slice(HISTORY_MINUTES + REPLAY_MINUTES);
    BacktestParameters parameters = BacktestParameters.defaults();
    ControlLoopReplay inferscale =
        Backtest.replay(trace, parameters, Forecaster.standard(), HISTORY_MINUTES);
    ControlLoopReplay reactive = Backtest.replay(trace, parameters, null, HISTORY_MINUTES);
    // InferScale holding a 0.5 % unserved budget: its state read back from its own record.
    ControlLoopReplay budgeted = Backtest.replay(trace, parameters.withEndpoint(null, null, null,
        Json.mapper().readTree("{\"budget\": {\"unservedPercent\": 0.5}}")),
        Forecaster.standard(), HISTORY_MINUTES);

    SimulationClock clock = new SimulationClock(at(HISTORY_MINUTES));
    TestAwsComponent aws = TestAwsComponent.create(clock);
    List<Stack> stacks = List.of(
        new Stack("inferscale", inferscale, true, aws, clock),
        new Stack("reactive", reactive, false, aws, clock),
        new Stack("budget", budgeted, true, aws, clock));
    int delay = parameters.timing().metricDelayMinutes();
    // The simulator shows every controller a steady state before the trace; the replay starts
    // late enough that the scaler never reads that far back.
    assertTrue(HISTORY_MINUTES > ScalerStep.historyMinutes(inferscale.policy()) + delay);
    for (Stack stack : stacks) {
      stack.seedHistory(trace, HISTORY_MINUTES - delay);
    }
    for (int minute = HISTORY_MINUTES; minute < trace.length(); minute++) {
      // A scheduled invocation starts some seconds into its minute.
      clock.set(at(minute).plusSeconds(minute * 7L % 60));
      for (Stack stack : stacks) {
        if (minute > HISTORY_MINUTES && !trace.isGap(minute - delay)) {
          stack.putInvocations(minute - delay, trace.requests(minute - delay));
        }
        stack.cycle(emulator, minute);
      }
    }

    for (Stack stack : stacks) {
      System.out.println("ReplayEquivalenceTest: " + stack.name + " " + stack.summary());
      List<String> mismatches = stack.mismatches();
      assertTrue(mismatches.isEmpty(), stack.name + ": " + mismatches.size()
          + " of " + REPLAY_MINUTES + " minutes differ, the first:\n"
          + String.join("\n", mismatches.subList(0, Math.min(5, mismatches.size()))));
    }
    // Not a vacuous replay: both directions, the cooldown read back from the scaler's own record,
    // and for inferscale the forecast floor binding.
    for (ControlLoopReplay replay : List.of(inferscale, reactive)) {
      assertTrue(replay.outcomes().stream().anyMatch(o -> o.decision().to() > o.decision().from()));
      assertTrue(replay.outcomes().stream().anyMatch(o -> o.decision().to() < o.decision().from()));
      assertTrue(replay.outcomes().stream()
          .anyMatch(o -> o.decision().has(ReasonCode.SCALE_IN_COOLDOWN)));
    }
    // The budget's controller judged, moved the target and carried its state across cycles.
    assertTrue(budgeted.outcomes().stream().anyMatch(o -> o.budget().burnPercent() != null
        && o.budget().utilization() != o.budget().previousUtilization()));
    assertTrue(inferscale.outcomes().stream().anyMatch(o -> o.decision().bindingConstraint()
        == ReasonCode.PREDICTIVE_FLOOR || o.decision().has(ReasonCode.SCALE_IN_FORECAST_COVERED)));
    assertEquals(REPLAY_MINUTES / parameters.timing().forecastIntervalMinutes(),
        stacks.get(0).forecasts);

    shadowScoringOfTheRecordsEqualsTheBacktest(trace, inferscale, stacks.get(0), aws);
  }

  /**
   * What the live stack recorded (its asks, the endpoint's serving counts, the requests it saw),
   * read back from CloudWatch and scored as {@code inferscale report} scores it, equals the
   * backtest's own figures for the {@code inferscale} policy. Two steps: the backtest's asks
   * scored as recorded asks give the backtest's figures over the whole replay; and the records
   * read back give exactly what those asks give over the minutes whose requests were recorded (the
   * last metric-delay minutes' requests come after the replay's last cycle).
   */
  private static void shadowScoringOfTheRecordsEqualsTheBacktest(Trace trace,
      ControlLoopReplay backtest, Stack stack, TestAwsComponent aws) {
    Timing timing = backtest.policy().timing();
    double rps = backtest.policy().targets().maxRpsPerInstance();
    double[] asks = backtest.outcomes().stream().mapToDouble(o -> o.decision().to()).toArray();
    double[] serving = stack.serving.stream().mapToDouble(Integer::doubleValue).toArray();
    double[] requests = Arrays.copyOfRange(trace.requestsArray(), HISTORY_MINUTES,
        trace.length());
    ShadowScore ofBacktestAsks = ShadowScore.score(at(HISTORY_MINUTES), asks, serving, requests,
        rps, timing.coldStartMinutes());
    assertScored(Scored.of(backtest.result(), REPLAY_MINUTES), ofBacktestAsks.inferscale(),
        "the backtest's asks, scored as recorded asks");

    int delay = timing.metricDelayMinutes();
    int recordedMinutes = REPLAY_MINUTES - delay;
    ShadowScore expected = ShadowScore.score(at(HISTORY_MINUTES),
        Arrays.copyOf(asks, recordedMinutes), Arrays.copyOf(serving, recordedMinutes),
        Arrays.copyOf(requests, recordedMinutes), rps, timing.coldStartMinutes());
    ScalerRecords.Minutes recorded = new ScalerRecords(aws.metricsReader()).read(stack.endpoint,
        Fixtures.VARIANT, InferScaleMetrics.MODE_LIVE, at(HISTORY_MINUTES - delay),
        REPLAY_MINUTES + delay);
    ShadowScore fromRecords = ShadowScore.score(at(HISTORY_MINUTES - delay), recorded.asks(),
        recorded.serving(), recorded.requests(),
        RequestRate.ofPerMinute(recorded.capacityPerInstance()).perSecond(),
        timing.coldStartMinutes());
    System.out.println("ReplayEquivalenceTest: shadow scoring of the records " + fromRecords);
    assertEquals(at(HISTORY_MINUTES), fromRecords.from(), "scored from the first cycle's minute");
    assertEquals(recordedMinutes, fromRecords.minutes());
    assertScored(expected.inferscale(), fromRecords.inferscale(), "InferScale's recorded asks");
    assertScored(expected.actual(), fromRecords.actual(), "the endpoint's recorded counts");
  }

  /** Counts exactly; ratios to within rounding (mu goes through per second and back). */
  private static void assertScored(Scored expected, Scored actual, String what) {
    assertEquals(expected.overCapacityMinutes(), actual.overCapacityMinutes(), what);
    assertEquals(expected.scaleEvents(), actual.scaleEvents(), what);
    assertEquals(expected.instanceHours(), actual.instanceHours(), 1e-9, what);
    assertEquals(expected.costRatio(), actual.costRatio(), 1e-9, what);
    assertEquals(expected.unservedPct(), actual.unservedPct(), 1e-9, what);
  }

  /** One endpoint, its two handlers, and what the backtest decided for it. */
  private static final class Stack {
    private final String name;
    private final String endpoint = Fixtures.uniqueName("replay");
    private final ControlLoopReplay expected;
    private final boolean forecasting;
    private final TestAwsComponent aws;
    private final Fleet fleet;
    private final List<String> log = new ArrayList<>();
    private final ScalerHandler scaler;
    private final ForecastHandler forecaster;
    private final String scalerEvent;
    private final String forecastEvent;
    private final List<JsonNode> decided = new ArrayList<>();
    /** The serving count the endpoint showed each replayed minute. */
    private final List<Integer> serving = new ArrayList<>();
    private int forecasts;
    private Instant lastForecast;

    Stack(String name, ControlLoopReplay expected, boolean forecasting,
        TestAwsComponent aws, SimulationClock clock) {
      this.name = name;
      this.expected = expected;
      this.forecasting = forecasting;
      this.aws = aws;
      Timing timing = expected.policy().timing();
      this.fleet = new Fleet(expected.openingInstances(), timing.coldStartMinutes(),
          HISTORY_MINUTES);
      Consumer<String> logs = log::add;
      this.scaler = new ScalerHandler(aws.scalerWiring(), Map.of(), logs);
      this.forecaster = new ForecastHandler(new ForecastWiring(aws.metricsReader(),
          aws.metricsPublisher(), aws.tagging(), Forecaster.standard(), clock),
          Map.of(), logs);
      JsonNode policy = Json.mapper().valueToTree(expected.policy());
      ObjectNode forecast = Json.mapper().createObjectNode().put("endpointName", endpoint)
          .put("variantName", Fixtures.VARIANT);
      forecast.set("policy", policy);
      this.forecastEvent = forecast.toString();
      this.scalerEvent = forecast.deepCopy().put("capacityCheck", "none").put("dryRun", false)
          .toString();
      Fixtures.createEndpoint(aws.sageMaker(), endpoint, expected.openingInstances(), Map.of());
    }

    void seedHistory(Trace trace, int newest) {
      List<MetricDatum> batch = new ArrayList<>();
      for (int minute = 0; minute <= newest; minute++) {
        if (!trace.isGap(minute)) {
          batch.add(invocations(minute, trace.requests(minute)));
          if (budgeted()) {
            batch.add(perInstance(minute, trace.requests(minute)));
          }
        }
        if (batch.size() >= 200 || (minute == newest && !batch.isEmpty())) {
          List<MetricDatum> data = List.copyOf(batch);
          aws.cloudWatch().putMetricData(b -> b.namespace("AWS/SageMaker").metricData(data));
          batch.clear();
        }
      }
    }

    void putInvocations(int minute, double requests) {
      List<MetricDatum> data = budgeted()
          ? List.of(invocations(minute, requests), perInstance(minute, requests))
          : List.of(invocations(minute, requests));
      aws.cloudWatch().putMetricData(b -> b.namespace("AWS/SageMaker").metricData(data));
    }

    private boolean budgeted() {
      return expected.policy().budget().unservedPercent() != null;
    }

    /**
     * SageMaker's InvocationsPerInstance: the minute's requests over the instances that served
     * it, the opening fleet before the replay.
     */
    private MetricDatum perInstance(int minute, double requests) {
      int instances = minute < HISTORY_MINUTES ? expected.openingInstances()
          : serving.get(minute - HISTORY_MINUTES);
      return MetricDatum.builder().metricName("InvocationsPerInstance").timestamp(at(minute))
          .value(requests / instances).unit(StandardUnit.COUNT)
          .dimensions(dimensions(MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT)))
          .build();
    }

    private MetricDatum invocations(int minute, double requests) {
      return MetricDatum.builder().metricName("Invocations").timestamp(at(minute))
          .value(requests).unit(StandardUnit.COUNT)
          .dimensions(dimensions(MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT)))
          .build();
    }

    /** One minute: the endpoint as the cold-start model has it, the forecaster, the scaler. */
    void cycle(AwsEmulator.Running emulator, int minute) throws IOException {
      emulator.setEndpointState(endpoint, fleet.status(minute), fleet.serving(minute),
          fleet.desired());
      serving.add(fleet.serving(minute));
      Timing timing = expected.policy().timing();
      if (forecasting && ForecastStep.due(lastForecast, at(minute), timing)) {
        JsonNode published = invoke(forecaster, forecastEvent);
        assertTrue(published.has("status"), published.toString());
        forecasts++;
        lastForecast = at(minute);
      }
      log.clear();
      JsonNode outcome = invoke(scaler, scalerEvent);
      assertTrue(outcome.has("decision"), outcome.toString());
      log.forEach(line -> EmbeddedMetrics.extract(aws.cloudWatch(), line));
      // What SageMaker was actually asked for, not what the handler says it asked for.
      fleet.resize(Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint), minute);
      decided.add(outcome);
    }

    List<String> mismatches() {
      List<String> mismatches = new ArrayList<>();
      for (int i = 0; i < REPLAY_MINUTES; i++) {
        JsonNode inBacktest = comparable(Json.mapper().valueToTree(expected.outcomes().get(i)),
            "backtest");
        JsonNode inFunctions = comparable(decided.get(i), endpoint);
        if (!inBacktest.equals(inFunctions)) {
          mismatches.add("minute " + (HISTORY_MINUTES + i) + ": " + firstDifference(inBacktest,
              inFunctions, "") + "\n  backtest:  " + inBacktest.at("/decision/explanation")
              + "\n  functions: " + inFunctions.at("/decision/explanation"));
        }
      }
      return mismatches;
    }

    /**
     * What both must agree on: the whole decision, whether and why it was (not) applied, and the
     * forecast read; the endpoint's name and instance type and the forecast channel's name are the
     * environment's.
     */
    private static JsonNode comparable(JsonNode outcome, String endpointName) {
      ObjectNode decision = (ObjectNode) Json.mapper().valueToTree(outcome.get("decision"))
          .deepCopy();
      decision.put("endpointName", "endpoint");
      decision.put("explanation", decision.get("explanation").asText()
          .replace(endpointName + "/", "endpoint/"));
      ObjectNode forecast = ((ObjectNode) outcome.get("forecast")).deepCopy();
      forecast.remove(List.of("channel", "note"));
      ObjectNode comparable = Json.mapper().createObjectNode();
      comparable.set("applied", outcome.get("applied"));
      comparable.set("notApplied", outcome.get("notApplied"));
      comparable.set("forecast", forecast);
      comparable.set("decision", decision);
      comparable.set("budget", outcome.get("budget"));
      return comparable;
    }

    private static String firstDifference(JsonNode a, JsonNode b, String path) {
      if (a.isObject() && b.isObject()) {
        for (var fields = a.fieldNames(); fields.hasNext(); ) {
          String field = fields.next();
          if (!a.get(field).equals(b.get(field))) {
            return b.has(field) ? firstDifference(a.get(field), b.get(field), path + "/" + field)
                : path + "/" + field + " missing";
          }
        }
      }
      return path + ": backtest " + a + " | functions " + b;
    }

    /** What was replayed, for the log: actions, reason codes, floor minutes, forecasts. */
    String summary() {
      Map<String, Long> actions = new java.util.TreeMap<>();
      java.util.Set<String> reasons = new java.util.TreeSet<>();
      long floor = 0;
      for (JsonNode outcome : decided) {
        actions.merge(outcome.at("/decision/action").asText(), 1L, Long::sum);
        outcome.at("/decision/reasons").forEach(r -> reasons.add(r.asText()));
        floor += outcome.at("/forecast/usedAsFloor").asBoolean() ? 1 : 0;
      }
      return decided.size() + " minutes compared, " + actions + ", " + floor
          + " with a forecast floor, " + forecasts + " forecaster runs, reasons " + reasons;
    }

  }

  /** The slice of the built-in trace ending {@code minutes} after its start, at {@link #ORIGIN}. */
  private static Trace slice(int minutes) throws IOException {
    Trace all;
    try (Reader reader = Files.newBufferedReader(BUILT_IN_TRACE, StandardCharsets.UTF_8)) {
      all = TraceCsv.parse("built-in", reader);
    }
    int first = START - HISTORY_MINUTES;
    return new Trace("built-in minutes " + first + "-" + (first + minutes), ORIGIN,
        Arrays.copyOfRange(all.requestsArray(), first, first + minutes), null, null);
  }

  private static Instant at(int minute) {
    return ORIGIN.plus(Duration.ofMinutes(minute));
  }

  private static List<Dimension> dimensions(List<inferscale.aws.adapters.MetricDimension> dims) {
    return dims.stream().map(d -> Dimension.builder().name(d.name()).value(d.value()).build())
        .toList();
  }

  private static JsonNode invoke(com.amazonaws.services.lambda.runtime.RequestStreamHandler handler,
      String event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
        null);
    return Json.mapper().readTree(out.toByteArray());
  }
}
