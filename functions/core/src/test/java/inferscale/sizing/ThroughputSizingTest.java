package inferscale.sizing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import inferscale.decision.PolicyConfig;
import inferscale.decision.PolicyConfigParser;
import inferscale.trace.Trace;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Sizing by each type's throughput within the SLO, with copies per instance. */
class ThroughputSizingTest {
  private static final ModelCatalog MODELS = ModelCatalog.builtIn();
  private static final InstanceCatalog INSTANCES = InstanceCatalog.builtIn();
  private static final Workload CHAT = new Workload(1024, 256, 2000, 100);

  private static SizingRequest request(String model, int concurrency, Throughput rate) {
    return new SizingRequest(MODELS.find(model).orElseThrow(), WeightPrecision.FP16,
        KvPrecision.FP16, 4096, concurrency, SizingRequest.DEFAULT_RUNTIME_OVERHEAD_PERCENT, rate);
  }

  private static Map<String, Candidate> byType(SizingReport report) {
    return report.candidates().stream()
        .collect(Collectors.toMap(Candidate::instanceType, Function.identity()));
  }

  @Test
  void aModelThatFitsOneGpuOfAnEightGpuTypeRunsEightCopies() {
    Candidate p4de = byType(Sizer.size(request("llama-3.1-8b", 16, null),
        INSTANCES.instances(), new Serving(CHAT, List.of(), null))).get("ml.p4de.24xlarge");

    assertEquals(1, p4de.tensorParallel());
    assertEquals(8, p4de.copies());
    assertEquals(8 * p4de.throughput().rpsPerCopy(), p4de.rpsPerInstance(), 1e-9);
    // One group of eight serves less than eight copies: the split is chosen, not assumed.
    SloThroughput oneGroup = ThroughputEstimate.estimate(request("llama-3.1-8b", 16, null),
        INSTANCES.find("ml.p4de.24xlarge").orElseThrow(), 8, CHAT);
    assertTrue(oneGroup.rpsPerCopy() < p4de.rpsPerInstance(), oneGroup + " " + p4de);
  }

  @Test
  void aSeventyBillionModelSplitsEightGpusIntoTheGroupsThatServeMost() {
    Candidate p5 = byType(Sizer.size(request("llama-3.1-70b", 8, null), INSTANCES.instances(),
        new Serving(CHAT, List.of(), null))).get("ml.p5.48xlarge");
    assertEquals(8 / p5.tensorParallel(), p5.copies());
    for (int degree : List.of(2, 4, 8)) {
      SloThroughput split = ThroughputEstimate.estimate(request("llama-3.1-70b", 8, null),
          INSTANCES.find("ml.p5.48xlarge").orElseThrow(), degree, CHAT);
      assertTrue(8 / degree * split.rpsPerCopy() <= p5.rpsPerInstance() + 1e-9,
          degree + ": " + split);
    }
  }

  @Test
  void aMeasuredFigureReplacesTheEstimateWhichIsShownBesideIt() {
    List<BenchmarkPoint> levels = BenchmarkFiles.parse("levels.csv",
        BenchmarkFilesTest.sample("levels.csv"), null, null);
    Candidate g6e = byType(Sizer.size(request("llama-3.1-8b", 8, new Throughput(20, null)),
        INSTANCES.instances(), new Serving(new Workload(1024, 256, 2000, 50), levels, null)))
        .get("ml.g6e.xlarge");

    assertEquals(SloThroughput.MEASURED, g6e.throughput().basis());
    assertEquals(4.6 + 12.0 / 23 * 1.5, g6e.rpsPerInstance(), 1e-9);
    assertEquals(SloThroughput.ESTIMATED, g6e.estimate().basis());
    assertEquals(4, g6e.instances(), "20 req/s at 5.38 an instance");
    // The hourly price over the tokens an instance serves in an hour, per million.
    assertEquals(INSTANCES.find("ml.g6e.xlarge").orElseThrow().hourlyPrice()
        / (g6e.rpsPerInstance() * 1280 * 3600) * 1e6, g6e.costPerMillionTokens(), 1e-9);
  }

  @Test
  void aMeasuredSplitIsNotOutbidByAnEstimatedOne() {
    // The user measured 2 req/s on a TP 4 copy of 70B on ml.p5.48xlarge: far below the estimate
    // of any split, so only the measured split may be chosen, and its figure is the user's.
    List<BenchmarkPoint> tp4 = List.of(new BenchmarkPoint("ml.p5.48xlarge", 4, 16, 2, 500,
        "p95", 40, "test"));
    Candidate p5 = byType(Sizer.size(request("llama-3.1-70b", 8, null), INSTANCES.instances(),
        new Serving(CHAT, tp4, null))).get("ml.p5.48xlarge");

    assertEquals(4, p5.tensorParallel());
    assertEquals(4.0, p5.rpsPerInstance());
    assertTrue(p5.estimate().rpsPerCopy() > 2, p5.estimate().toString());
  }

  @Test
  void aTraceIsSizedAtItsPeakAndPricedAtItsMedian() {
    double[] perMinute = new double[1440];
    for (int m = 0; m < perMinute.length; m++) {
      perMinute[m] = m % 60 == 0 ? 3000 : 600; // 10 req/s, with a 50 req/s minute each hour
    }
    TrafficProfile traffic = TrafficProfile.of(Trace.ofRequests("hourly", perMinute));
    assertEquals(50, traffic.peakRps());
    assertEquals(10, traffic.medianRps());
    assertNull(traffic.meanInputTokens());

    SizingReport report = Sizer.size(request("llama-3.1-8b", 8, null), INSTANCES.instances(),
        new Serving(CHAT, List.of(), traffic));
    Candidate cheapest = report.cheapest().orElseThrow();
    assertEquals(Throughput.instancesFor(50, cheapest.rpsPerInstance()), cheapest.instances());
    Candidate atMedian = report.cheapestAtMedian().orElseThrow();
    assertEquals(Math.max(1, Throughput.instancesFor(10, atMedian.rpsPerInstance())),
        atMedian.instancesAtMedian());
    assertTrue(atMedian.hourlyCostAtMedian() < cheapest.hourlyCost());
  }

  @Test
  void benchmarksOfATypeOrSplitSizingNeverConsidersAreNamedAsUnused() {
    List<BenchmarkPoint> odd = List.of(
        new BenchmarkPoint("ml.nope.xlarge", 1, 8, 4, 500, "p95", 40, "typo.json"),
        new BenchmarkPoint("ml.g6e.12xlarge", 3, 8, 4, 500, "p95", 40, "tp3.json"),
        new BenchmarkPoint("ml.g5.xlarge", 1, 8, 4, 500, "p95", 40, "small.json"),
        new BenchmarkPoint("ml.g6e.xlarge", 1, 8, 4, 500, "p95", 40, "fine.json"));
    SizingReport report = Sizer.size(request("llama-3.1-8b", 16, null), INSTANCES.instances(),
        new Serving(CHAT, odd, null));
    assertEquals(List.of(
        "benchmark of ml.nope.xlarge at TP 1 (typo.json) not used: no such instance type in the"
            + " catalog",
        "benchmark of ml.g6e.12xlarge at TP 3 (tp3.json) not used: sizing splits 4 accelerators"
            + " into groups of [1, 2, 4]",
        "benchmark of ml.g5.xlarge at TP 1 (small.json) not used: a group of 1 does not hold the"
            + " weights and 16 sequences"), report.notes());
  }

  @Test
  void failuresAndLengthsUnlikeTheWorkloadsAreNoted() {
    List<BenchmarkPoint> levels = List.of(new BenchmarkPoint("ml.g6e.xlarge", 1, 8, 4, 500, "p95",
        40, "short.json", 550.0, 150.0, 0.05));
    SizingReport report = Sizer.size(request("llama-3.1-8b", 8, null), INSTANCES.instances(),
        new Serving(CHAT, levels, null));
    assertEquals(List.of("short.json: 5.0 % of requests failed at concurrency 8, counted as"
        + " missing the SLO", "short.json was measured at 550 prompt + 150 output tokens, the"
        + " workload is 1024 + 256: its rate may not hold"), report.notes());
  }

  @Test
  void aFlatFigureIsShownAsGivenNotAsAnEstimate() {
    Candidate g6e = byType(Sizer.size(request("llama-3.1-8b", 8, new Throughput(20, 0.5)),
        INSTANCES.instances(), new Serving(CHAT, List.of(), null))).get("ml.g6e.xlarge");
    assertEquals(SloThroughput.GIVEN, g6e.throughput().basis());
    assertEquals(0.5, g6e.throughput().rpsPerCopy());
    assertEquals(40, g6e.instances());
    assertEquals(SloThroughput.ESTIMATED, g6e.estimate().basis());
  }

  @Test
  void aCpuTypeWithoutABenchmarkIsNotCostedAndSaysWhy() {
    Candidate cpu = byType(Sizer.size(request("llama-3.1-8b", 1, null), INSTANCES.instances(),
        new Serving(CHAT, List.of(), null))).get("ml.c7i.8xlarge");
    assertTrue(cpu.fits());
    assertNull(cpu.instances());
    assertTrue(cpu.reason().startsWith("no throughput figure"), cpu.reason());
  }

  @Test
  void theEmittedPolicyIsOneTheScalerAccepts() throws Exception {
    SizingRequest request = request("llama-3.1-70b", 8, new Throughput(30, null));
    Candidate chosen = Sizer.size(request, INSTANCES.instances(),
        new Serving(CHAT, List.of(), null)).cheapest().orElseThrow();

    SuggestedPolicy suggested = SuggestedPolicy.of(request, chosen, 4, 30, 0.7);
    PolicyConfig policy = PolicyConfigParser.parse(
        new ObjectMapper().readTree(suggested.toPolicyJson()), PolicyConfig.defaults());

    assertEquals(suggested.targetRpsPerInstance(), policy.targets().rpsPerInstance());
    assertEquals(suggested.maxRpsPerInstance(), policy.targets().maxRpsPerInstance());
    assertEquals(suggested.minInstances(), policy.bounds().minInstances());
    assertEquals(suggested.maxInstances(), policy.bounds().maxInstances());
    assertEquals(suggested.coldStartMinutes(), policy.timing().coldStartMinutes());
    // 141 GB of weights at 0.5 GB/s: 5 minutes on top of the instance's own 5.
    assertEquals(10, suggested.coldStartMinutes());
    assertEquals(Throughput.instancesFor(1.25 * 30, suggested.targetRpsPerInstance()),
        suggested.maxInstances());
    assertTrue(suggested.templateParameters().startsWith("MinInstances="));
  }
}
