package inferscale.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.adapters.MetricDimension;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.json.Json;
import inferscale.trace.Trace;
import inferscale.trace.TraceCsv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricType;
import software.amazon.awssdk.services.applicationautoscaling.model.PolicyType;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/**
 * {@code backtest --endpoint} against the emulator: 14 days of a variant's per-minute metrics
 * (requests, requests per instance from a target-tracked fleet, some 5XX errors), its scalable
 * target and target-tracking policy, and a deployed InferScale stack's schedule.
 */
@ExtendWith(AwsEmulator.class)
class BacktestEndpointTest {
  private static final int DAYS = 14;
  private static final int MINUTES = DAYS * 24 * 60;
  /** What one instance of the seeded endpoint serves: 300 requests a minute. */
  private static final double RPS_PER_INSTANCE = 5;

  private TestAwsComponent aws;
  private String endpoint;
  private Instant first;
  private final double[] requests = new double[MINUTES];
  private final double[] perInstance = new double[MINUTES];

  @BeforeEach
  void setUp() {
    aws = TestAwsComponent.create();
    endpoint = Fixtures.uniqueName("llm");
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, Fixtures.GPU_INSTANCE_TYPE, 3, Map.of());
    first = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(MINUTES));
  }

  /**
   * A daily cycle between about 200 and 1,400 requests a minute with noise, nights without any
   * requests for an hour, a fleet that follows demand at 70 % of 300 a minute a quarter-hour late,
   * and 5XX errors where demand ran ahead of it.
   */
  private void seedHistory() {
    double[] errors = new double[MINUTES];
    java.util.Random random = new java.util.Random(15);
    int instances = 3;
    for (int t = 0; t < MINUTES; t++) {
      int minuteOfDay = t % 1440;
      double level = 800 - 600 * Math.cos(2 * Math.PI * minuteOfDay / 1440.0);
      requests[t] = minuteOfDay < 60 ? Double.NaN
          : Math.max(1, Math.round(level * (1 + 0.1 * random.nextGaussian())));
      if (t % 15 == 0 && !Double.isNaN(requests[t])) {
        instances = Math.max(1, (int) Math.ceil(requests[t] / (0.7 * 300)));
      }
      perInstance[t] = requests[t] / instances;
      errors[t] = requests[t] > instances * 300 ? Math.round(requests[t] - instances * 300)
          : Double.NaN;
    }
    List<MetricDimension> dims = MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT);
    put("Invocations", dims, requests);
    put("InvocationsPerInstance", dims, perInstance);
    put("Invocation5XXErrors", dims, errors);
  }

  /**
   * moto reads a PutMetricData request's datums in time quadratic in their number: small
   * requests seed two weeks in seconds, where requests of 1,000 take minutes.
   */
  private static final int DATUMS_PER_CALL = 50;

  private void put(String name, List<MetricDimension> dims, double[] values) {
    for (int from = 0; from < values.length; from += DATUMS_PER_CALL) {
      List<Integer> minutes = new ArrayList<>();
      for (int t = from; t < Math.min(values.length, from + DATUMS_PER_CALL); t++) {
        if (!Double.isNaN(values[t])) {
          minutes.add(t);
        }
      }
      // One call per run of consecutive minutes keeps Fixtures' one-datapoint-a-minute shape.
      int start = 0;
      while (start < minutes.size()) {
        int end = start;
        while (end + 1 < minutes.size() && minutes.get(end + 1) == minutes.get(end) + 1) {
          end++;
        }
        int firstMinute = minutes.get(start);
        Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", name, dims,
            first.plus(Duration.ofMinutes(firstMinute)),
            Arrays.copyOfRange(values, firstMinute, minutes.get(end) + 1));
        start = end + 1;
      }
    }
  }

  @Test
  void theSavedTraceReproducesTheEndpointBacktestExactlyIncludingTheActualRow(
      @TempDir Path dir) throws Exception {
    seedHistory();
    Path saved = dir.resolve("history.csv");
    CliRun live = CliRun.of("backtest", "--endpoint", endpoint, "--days", "14",
        "--rps-per-instance", Double.toString(RPS_PER_INSTANCE), "--save-trace",
        saved.toString(), "--format", "json");
    assertEquals(0, live.exitCode(), live.err());
    JsonNode fromEndpoint = Json.mapper().readTree(live.out());
    assertTrue(Files.size(saved) > 0);

    // The command the run printed to repeat it offline, as a user would paste it.
    String hint = live.err().lines().filter(l -> l.startsWith("  inferscale backtest "))
        .findFirst().orElseThrow(() -> new AssertionError(live.err()));
    CliRun offline = rerun(hint, "--format", "json");
    assertEquals(0, offline.exitCode(), offline.err());
    JsonNode fromCsv = Json.mapper().readTree(offline.out());

    assertEquals(fromEndpoint.get("parameters"), fromCsv.get("parameters"));
    assertEquals(fromEndpoint.get("policies"), fromCsv.get("policies"));
    List<String> names = new ArrayList<>();
    fromEndpoint.get("policies").forEach(p -> names.add(p.get("name").asText()));
    assertEquals(List.of("static-peak", "clairvoyant", "target-tracking", "reactive",
        "inferscale", "actual"), names);
    JsonNode actual = fromEndpoint.at("/policies/5");
    assertTrue(actual.get("instanceHours").asDouble() > 0, actual.toString());
    assertTrue(actual.get("unservedPct").asDouble() > 0, "the seeded fleet lagged demand");

    // The trace saved is what was seeded: from the first minute with requests (minute 60, the
    // first night's hour has none), silent minutes as 0, counts as requests over per instance.
    Trace trace;
    try (var reader = Files.newBufferedReader(saved)) {
      trace = TraceCsv.parse("saved", reader);
    }
    assertEquals(first.plus(Duration.ofMinutes(60)), trace.start());
    for (int t = 0; t < trace.length(); t++) {
      double seeded = requests[60 + t];
      assertEquals(Double.isNaN(seeded) ? 0 : seeded, trace.requests(t), "minute " + t);
      assertEquals(Double.isNaN(seeded) ? Double.NaN : Math.round(seeded / perInstance[60 + t]),
          trace.instances(t), "minute " + t);
    }
    JsonNode history = fromEndpoint.at("/endpoint/history");
    assertEquals(trace.length(), history.get("minutes").asInt());
    // Read up to a few minutes before the command ran: the last seeded minutes may still be
    // filling, and a trace ends at the last minute with requests.
    assertTrue(trace.length() >= MINUTES - 60 - 10 && trace.length() <= MINUTES - 60,
        history.toString());
    long silent = Arrays.stream(requests, 60, 60 + trace.length()).filter(Double::isNaN).count();
    assertEquals(silent, history.get("minutesWithoutData").asLong(), "an hour every night");
    assertTrue(history.get("minutesWith5xx").asInt() > 0, history.toString());
    // Saturated: the minutes in which 1 % of the requests or more failed, a share of the 5XX ones.
    int saturated = history.get("saturatedMinutes").asInt();
    assertTrue(saturated > 0 && saturated <= history.get("minutesWith5xx").asInt(),
        history.toString());
    assertEquals("rps-per-instance", fromEndpoint.at("/parameters/capacitySource").asText());
    assertEquals(Fixtures.GPU_INSTANCE_TYPE, fromEndpoint.at("/endpoint/instanceType").asText());
  }

  @Test
  void readsTheScalingTheEndpointHasTodayAndItsInferScaleStacksPolicy(@TempDir Path dir)
      throws Exception {
    seedHistory();
    String resourceId = "endpoint/" + endpoint + "/variant/" + Fixtures.VARIANT;
    try (ApplicationAutoScalingClient autoScaling = ApplicationAutoScalingClient.create();
        SchedulerClient scheduler = SchedulerClient.create()) {
      autoScaling.registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
          .resourceId(resourceId)
          .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT)
          .minCapacity(2).maxCapacity(9));
      autoScaling.putScalingPolicy(b -> b.policyName("invocations")
          .serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(resourceId)
          .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT)
          .policyType(PolicyType.TARGET_TRACKING_SCALING)
          .targetTrackingScalingPolicyConfiguration(c -> c.targetValue(240.0)
              .predefinedMetricSpecification(m -> m.predefinedMetricType(
                  MetricType.SAGE_MAKER_VARIANT_INVOCATIONS_PER_INSTANCE))));
      String payload = "{\"endpointName\": \"" + endpoint + "\", \"variantName\": \""
          + Fixtures.VARIANT + "\", \"policy\": {\"bounds\": {\"minInstances\": 1,"
          + " \"maxInstances\": 12}, \"targets\": {\"rpsPerInstance\": 3.5,"
          + " \"maxRpsPerInstance\": 6}, \"timing\": {\"coldStartMinutes\": 11}}}";
      scheduler.createSchedule(b -> b.name("inferscale-forecast-" + endpoint)
          .scheduleExpression("rate(1 minute)").flexibleTimeWindow(w -> w.mode("OFF"))
          .target(t -> t.arn("arn:aws:lambda:us-east-1:123456789012:function:scaler")
              .roleArn("arn:aws:iam::123456789012:role/scheduler").input(payload)));
    }

    Path saved = dir.resolve("it's here.csv");
    CliRun run = CliRun.of("backtest", "--endpoint", endpoint, "--save-trace", saved.toString());
    assertEquals(0, run.exitCode(), run.err());
    String out = run.out();
    System.out.println("BacktestEndpointTest:\n" + run.err() + out);
    assertTrue(out.contains("Endpoint " + endpoint + " variant AllTraffic: "
        + Fixtures.GPU_INSTANCE_TYPE + ", 3 instances serving now"), out);
    assertTrue(out.contains("Scaling today: scalable target 2 to 9 instances, target tracking"
        + " invocations at 240.0 invocations/min per instance"), out);
    assertTrue(out.contains("InferScale policy: schedule inferscale-forecast-" + endpoint), out);
    // Capacity from the deployed policy (6 a second), cold start from its timing, target
    // tracking at its own target (240 of 360 a minute), its bounds; InferScale at its policy's.
    assertTrue(out.contains("mu 360.000 requests/min per instance (from policy"
        + " targets.maxRpsPerInstance, 6 a second); target 66.7 % of mu (InferScale's policy:"
        + " 58.3 %); instances 2 to 9 (InferScale's policy: 1 to 12); cold start 11 min"), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("actual ")), out);
    assertTrue(out.contains("Cost over the scored minutes at $"), out);
    assertTrue(run.err().contains("minutes were saturated"), run.err());

    // What was read from the endpoint (bounds, target, policy, timing) repeats offline, quoted.
    String hint = run.err().lines().filter(l -> l.startsWith("  inferscale backtest "))
        .findFirst().orElseThrow(() -> new AssertionError(run.err()));
    CliRun offline = rerun(hint);
    assertEquals(0, offline.exitCode(), offline.err());
    assertEquals(figures(out), figures(offline.out()));
  }

  /** The parameters line and the policies' rows of a backtest table. */
  private static List<String> figures(String table) {
    return table.lines().filter(l -> l.startsWith("mu ") || l.matches(
        "^(static-peak|clairvoyant|target-tracking|reactive|inferscale|actual) .*")).toList();
  }

  /** Runs the printed command as a POSIX shell would split it, with {@code extra} arguments. */
  private static CliRun rerun(String commandLine, String... extra) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean inWord = false;
    boolean escaped = false;
    for (char c : commandLine.strip().toCharArray()) {
      if (escaped) {
        word.append(c);
        escaped = false;
      } else if (c == '\\' && !quoted) {
        escaped = true;
        inWord = true;
      } else if (c == '\'') {
        quoted = !quoted;
        inWord = true;
      } else if (c == ' ' && !quoted) {
        if (inWord) {
          words.add(word.toString());
        }
        word.setLength(0);
        inWord = false;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    words.add(word.toString());
    assertEquals("inferscale", words.get(0));
    List<String> args = new ArrayList<>(words.subList(1, words.size()));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void aSweepWithAGuessedCapacitySaysSoAsASingleRunDoes() {
    seedHistory();
    CliRun sweep = CliRun.of("backtest", "--endpoint", endpoint, "--days", "2", "--sweep");
    assertEquals(0, sweep.exitCode(), sweep.err());
    assertTrue(sweep.err().contains("warning: no --rps-per-instance and no"
        + " targets.maxRpsPerInstance in the policy: each instance is assumed to serve the p99"
        + " minute over 20 instances"), sweep.err());
    assertTrue(sweep.out().contains("requests/min per instance (p99 minute over 20 instances)"),
        sweep.out());
  }

  @Test
  void moreDaysThanCloudWatchKeepsIsRefusedSayingWhy() {
    CliRun run = CliRun.of("backtest", "--endpoint", endpoint, "--days", "30");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("--days must be 1 to 14, got 30: CloudWatch keeps 1-minute"
        + " data for 15 days"), run.err());
  }

  @Test
  void anEndpointWithoutRequestsIsAClearError() {
    CliRun run = CliRun.of("backtest", "--endpoint", endpoint, "--days", "2");
    assertEquals(1, run.exitCode());
    assertEquals("error: endpoint " + endpoint + " variant AllTraffic recorded no Invocations in"
        + " the last 2 days: nothing to backtest on (SageMaker publishes Invocations only for"
        + " minutes with requests)", run.err().strip());
  }

  @Test
  void aMissingEndpointOrVariantIsNamed() {
    CliRun missing = CliRun.of("backtest", "--endpoint", "no-such-endpoint");
    assertEquals(1, missing.exitCode());
    assertEquals("error: endpoint no-such-endpoint does not exist", missing.err().strip());
    CliRun variant = CliRun.of("backtest", "--endpoint", endpoint, "--variant", "Blue");
    assertEquals(1, variant.exitCode());
    assertTrue(variant.err().contains("has no variant Blue"), variant.err());
  }

  @Test
  void endpointOptionsNeedTheEndpointAndExcludeATrace() {
    CliRun days = CliRun.of("backtest", "--days", "3");
    assertEquals(2, days.exitCode());
    assertTrue(days.err().startsWith("--days needs --endpoint"), days.err());
    CliRun both = CliRun.of("backtest", "--endpoint", endpoint, "--trace", "x.csv");
    assertEquals(2, both.exitCode());
    assertTrue(both.err().startsWith("--trace and --endpoint are alternatives"), both.err());
  }
}
