package inferscale.sizing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class SizerPropertiesTest {
  private static final List<InstanceType> INSTANCES = InstanceCatalog.builtIn().instances();

  /** Models from 0.5 B to 500 B parameters with realistic attention shapes. */
  private static final Gen<ModelSpec> MODELS =
      doubles()
          .between(0.5, 500)
          .zip(
              integers().between(1, 128),
              integers().between(1, 64),
              Generate.pick(List.of(64, 80, 96, 128, 256)),
              (billions, layers, kvHeads, headDim) ->
                  new ModelSpec("generated", null, billions, layers, kvHeads, headDim));

  private static final Gen<SizingRequest> REQUESTS =
      MODELS.zip(
          Generate.enumValues(WeightPrecision.class),
          integers().between(1, 131_072),
          doubles().between(0, 50),
          (model, precision, context, overhead) ->
              new SizingRequest(model, precision, KvPrecision.FP16, context, 1, overhead, null));

  private static SizingRequest withConcurrency(SizingRequest request, int concurrency) {
    return new SizingRequest(
        request.model(),
        request.precision(),
        request.kvPrecision(),
        request.contextTokens(),
        concurrency,
        request.runtimeOverheadPercent(),
        request.throughput());
  }

  @Test
  void whatFitsStaysWithinTheMemoryOfItsTensorParallelGroup() {
    qt().forAll(REQUESTS, integers().between(1, 1024))
        .checkAssert(
            (base, concurrency) -> {
              SizingRequest request = withConcurrency(base, concurrency);
              for (InstanceType type : INSTANCES) {
                Candidate candidate = Sizer.size(request, List.of(type)).candidates().get(0);
                if (candidate.fits()) {
                  int degree = candidate.tensorParallel();
                  double needed =
                      request.weightsBytes()
                          + (double) Sizer.kvBytesPerToken(request, degree)
                              * request.contextTokens()
                              * request.concurrentSequences();
                  double capacity =
                      degree
                          * type.acceleratorMemoryBytes()
                          * (1 - request.runtimeOverheadPercent() / 100);
                  assertTrue(needed <= capacity, type.name() + " " + request);
                  assertTrue(degree <= type.accelerators());
                }
              }
            });
  }

  @Test
  void moreConcurrencyNeverShrinksTheDeployment() {
    qt().forAll(REQUESTS, integers().between(1, 512), integers().between(0, 512))
        .checkAssert(
            (base, concurrency, more) -> {
              SizingRequest smaller = withConcurrency(base, concurrency);
              SizingRequest larger = withConcurrency(base, concurrency + more);
              for (InstanceType type : INSTANCES) {
                Candidate few = Sizer.size(smaller, List.of(type)).candidates().get(0);
                Candidate many = Sizer.size(larger, List.of(type)).candidates().get(0);
                if (!few.fits()) {
                  assertFalse(many.fits(), type.name() + " " + larger);
                } else if (many.fits()) {
                  assertTrue(many.tensorParallel() >= few.tensorParallel(), type.name());
                  assertTrue(many.instances() >= few.instances(), type.name());
                }
              }
            });
  }

  @Test
  void aHigherTargetRateNeverNeedsFewerInstances() {
    qt().forAll(doubles().between(0.01, 1e5), doubles().between(0, 1e5), doubles().between(0.01, 1e3))
        .checkAssert(
            (target, extra, perInstance) ->
                assertTrue(
                    Throughput.instancesFor(target + extra, perInstance)
                        >= Throughput.instancesFor(target, perInstance)));
  }
}
