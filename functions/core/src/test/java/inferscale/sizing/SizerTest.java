package inferscale.sizing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SizerTest {
  private static final ModelCatalog MODELS = ModelCatalog.builtIn();
  private static final InstanceCatalog INSTANCES = InstanceCatalog.builtIn();

  private static SizingRequest request(
      String model, WeightPrecision precision, int context, int concurrency, Throughput throughput) {
    return new SizingRequest(
        MODELS.find(model).orElseThrow(),
        precision,
        KvPrecision.FP16,
        context,
        concurrency,
        SizingRequest.DEFAULT_RUNTIME_OVERHEAD_PERCENT,
        throughput);
  }

  private static Map<String, Candidate> byType(SizingReport report) {
    return report.candidates().stream()
        .collect(Collectors.toMap(Candidate::instanceType, Function.identity()));
  }

  @Test
  void seventyBillionAtFp16NeedsFourEightyGigabyteGpusOrEightSmallerOnes() {
    SizingReport report =
        Sizer.size(request("llama-3.1-70b", WeightPrecision.FP16, 8192, 32, null), INSTANCES.instances());
    assertEquals(141.2, report.weightsGB());
    assertEquals(320 * 1024, report.kvBytesPerToken());
    Map<String, Candidate> candidates = byType(report);

    Candidate p4de = candidates.get("ml.p4de.24xlarge");
    assertTrue(p4de.fits());
    assertEquals(4, p4de.tensorParallel());
    // 4 × 80 GiB × 0.9 − 141.2 GB = 168.0 GB; one 8192-token sequence takes 2.68 GB.
    assertEquals(168.04, p4de.kvCacheGB());
    assertEquals(62, p4de.maxConcurrentSequences());
    assertEquals(1, p4de.instances());
    assertNull(p4de.reason());

    assertEquals(8, candidates.get("ml.p4d.24xlarge").tensorParallel());

    Candidate g5 = candidates.get("ml.g5.48xlarge");
    assertFalse(g5.fits());
    assertNull(g5.tensorParallel());
    assertNull(g5.hourlyCost());
    assertEquals(16, g5.maxConcurrentSequences());
    assertTrue(g5.reason().startsWith("KV cache for 32 x 8192 tokens needs 85.9 GB"), g5.reason());

    Candidate single = candidates.get("ml.g5.xlarge");
    assertEquals(0, single.maxConcurrentSequences());
    assertEquals(0.0, single.kvCacheGB());
    assertTrue(single.reason().startsWith("fp16 weights need 141.2 GB; 1 x 24 GiB leave 23.2 GB"), single.reason());
  }

  @Test
  void fitsComeFirstCheapestFirst() {
    List<Candidate> candidates =
        Sizer.size(request("llama-3.1-8b", WeightPrecision.FP16, 8192, 32, null), INSTANCES.instances())
            .candidates();
    boolean seenMisfit = false;
    double previousCost = 0;
    for (Candidate candidate : candidates) {
      if (candidate.fits()) {
        assertFalse(seenMisfit, "a fitting candidate after one that does not fit");
        assertTrue(candidate.hourlyCost() >= previousCost, candidates.toString());
        previousCost = candidate.hourlyCost();
      } else {
        seenMisfit = true;
      }
    }
    // 16.1 GB of weights plus 34.4 GB of KV cache outgrow one GPU; four L4s are the cheapest
    // accelerators. By memory alone a CPU type's host memory holds them too, and costs less.
    Candidate accelerated = candidates.stream()
        .filter(c -> !INSTANCES.find(c.instanceType()).orElseThrow().kind().equals("cpu"))
        .findFirst().orElseThrow();
    assertEquals("ml.g6.12xlarge", accelerated.instanceType());
    assertEquals(4, accelerated.tensorParallel());
    assertEquals("ml.c7i.8xlarge", candidates.get(0).instanceType());
  }

  @Test
  void fleetIsTheTargetRateOverWhatOneInstanceServes() {
    Candidate cheapest =
        Sizer.size(
                request("llama-3.1-8b", WeightPrecision.INT4, 4096, 16, new Throughput(100, 7.0)),
                INSTANCES.instances())
            .candidates()
            .get(0);
    assertEquals(15, cheapest.instances());
    assertEquals(15 * 0.95, cheapest.hourlyCost(), 1e-9);
    assertEquals("ml.inf2.xlarge", cheapest.instanceType());
  }

  @Test
  void fewerKvHeadsThanGpusAreReplicated() {
    SizingRequest qwen = request("qwen2.5-7b", WeightPrecision.FP16, 8192, 1, null);
    assertEquals(qwen.kvBytesPerToken(), Sizer.kvBytesPerToken(qwen, 4));
    assertEquals(2 * qwen.kvBytesPerToken(), Sizer.kvBytesPerToken(qwen, 8));
  }

  @Test
  void tensorParallelDegreesArePowersOfTwoUpToTheGpuCount() {
    assertEquals(List.of(1), Sizer.tensorParallelDegrees(1));
    assertEquals(List.of(1, 2, 4), Sizer.tensorParallelDegrees(4));
    assertEquals(List.of(1, 2, 4, 8), Sizer.tensorParallelDegrees(8));
    assertEquals(31, Sizer.tensorParallelDegrees(Integer.MAX_VALUE).size());
  }

  @Test
  void impossibleWorkloadsNameTheField() {
    var context =
        assertThrows(
            InvalidSizingInputException.class,
            () -> request("llama-3.1-8b", WeightPrecision.FP16, -1, 32, null));
    assertEquals("contextTokens", context.field());
    var overhead =
        assertThrows(
            InvalidSizingInputException.class,
            () ->
                new SizingRequest(
                    MODELS.find("llama-3.1-8b").orElseThrow(),
                    WeightPrecision.FP16,
                    KvPrecision.FP16,
                    8192,
                    32,
                    100,
                    null));
    assertEquals("runtimeOverheadPercent", overhead.field());
    var rate = assertThrows(InvalidSizingInputException.class, () -> new Throughput(10, 0.0));
    assertEquals("rpsPerInstance", rate.field());
  }

  @Test
  void ratesNoEndpointOrInstanceCouldHaveAreRejectedNamingTheField() {
    var target = assertThrows(InvalidSizingInputException.class, () -> new Throughput(1e12, 1.0));
    assertEquals("targetRps", target.field());
    assertEquals("must be at most 10000000 requests a second (more than any one endpoint"
        + " serves), found 1.0E12", target.problem());

    var slow = assertThrows(InvalidSizingInputException.class, () -> new Throughput(10, 1e-6));
    assertEquals("rpsPerInstance", slow.field());
    assertEquals("must be at least 0.001 requests a second (one every 1000 s; a real-time request"
        + " gets 60 s), found 1.0E-6", slow.problem());

    var fast = assertThrows(InvalidSizingInputException.class, () -> new Throughput(10, 2e7));
    assertEquals("rpsPerInstance", fast.field());
  }

  @Test
  void theLargestRealFleetIsCountedExactly() {
    assertEquals(10_000_000_000L,
        Throughput.instancesFor(Throughput.MAX_RPS, Throughput.MIN_RPS_PER_INSTANCE));
  }

  @Test
  void builtInInstanceCatalogSaysWhereItsPricesComeFrom() {
    assertEquals("us-east-1", INSTANCES.region());
    assertTrue(INSTANCES.pricesCompiled().matches("\\d{4}-\\d{2}-\\d{2}"));
    assertTrue(INSTANCES.performanceSource().contains("datasheets"));
    for (InstanceType type : INSTANCES.instances()) {
      // Every accelerator has its bandwidth and FLOPs for the estimate; CPU types are measured.
      assertEquals(type.kind().equals(InstanceType.CPU), type.memoryBandwidthGBps() == null,
          type.name());
      assertEquals(type.kind().equals(InstanceType.CPU), type.denseTflops() == null, type.name());
    }
    List<String> families =
        INSTANCES.instances().stream()
            .map(i -> i.name().substring(0, i.name().lastIndexOf('.')))
            .distinct()
            .toList();
    assertTrue(
        families.containsAll(
            List.of("ml.g5", "ml.g6", "ml.g6e", "ml.p4d", "ml.p4de", "ml.p5", "ml.p5e",
                "ml.inf2", "ml.trn1", "ml.c7i", "ml.m7i", "ml.r7i")),
        families.toString());
  }

  @Test
  void instanceCatalogFileNamesTheRejectedValueAndItsLine() {
    var zeroPrice =
        assertThrows(
            InvalidSizingInputException.class,
            () ->
                InstanceCatalog.parse(
                    "i.json",
                    new StringReader(
                        "{\"region\": \"eu-west-1\", \"instances\": [\n"
                            + "{\"name\": \"ml.x\", \"accelerators\": 1,"
                            + " \"acceleratorMemoryGiB\": 24, \"hourlyPrice\": 0}]}")));
    assertEquals("hourlyPrice", zeroPrice.field());
    assertTrue(zeroPrice.problem().contains("line 2"), zeroPrice.problem());
  }

  @Test
  void jsonFormHasTheDocumentedKeys() {
    String json =
        Sizer.size(request("llama-2-7b", WeightPrecision.INT8, 2048, 4, null), INSTANCES.instances())
            .toJson();
    for (String key :
        List.of(
            "\"model\"", "\"weightsGB\"", "\"kvBytesPerToken\"", "\"candidates\"",
            "\"instanceType\"", "\"fits\"", "\"tensorParallel\"", "\"kvCacheGB\"",
            "\"maxConcurrentSequences\"", "\"instances\"", "\"hourlyCost\"", "\"reason\"")) {
      assertTrue(json.contains(key), key + " missing from " + json);
    }
  }
}
