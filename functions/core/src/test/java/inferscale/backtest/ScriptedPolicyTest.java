package inferscale.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import inferscale.decision.Timing;
import inferscale.trace.Trace;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptedPolicyTest {
  private static final double NaN = Double.NaN;

  private static PolicyRun score(ScalingPolicy policy, double[] demand, int coldStart) {
    BacktestParameters parameters =
        new BacktestParameters(20, new Timing(coldStart, 2, 15), 0.7);
    return new Simulator(Trace.ofRequests("t", demand), parameters, 10).run(policy);
  }

  @Test
  void observedServingIsReproducedAndBilledFromTheAskAColdStartEarlier() {
    // Seen serving: 2, then 4 from minute 5, then 1 from minute 9; cold start 3.
    double[] seen = {2, 2, 2, 2, 2, 4, 4, 4, 4, 1, 1, 1};
    PolicyRun run = score(ScriptedPolicy.observed("actual", seen, 3), new double[12], 3);
    assertArrayEquals(new int[] {2, 2, 2, 2, 2, 4, 4, 4, 4, 1, 1, 1}, run.serving());
    // The two instances serving from minute 5 were asked for at minute 2 and billed from then.
    assertArrayEquals(new int[] {2, 2, 4, 4, 4, 4, 4, 4, 4, 1, 1, 1}, run.desired());
    assertEquals(2, run.result().scaleEvents());
  }

  @Test
  void unknownMinutesHoldTheCountSeenLast() {
    double[] seen = {NaN, 3, NaN, NaN, 1, NaN};
    PolicyRun run = score(ScriptedPolicy.observed("actual", seen, 0), new double[6], 0);
    assertArrayEquals(new int[] {3, 3, 3, 3, 1, 1}, run.serving());
    PolicyRun asked = score(ScriptedPolicy.asking("shadow", seen), new double[6], 0);
    assertArrayEquals(new int[] {3, 3, 3, 3, 1, 1}, asked.desired());
  }

  @Test
  void theSimulatedFleetServesAtLeastWhatWasSeenAndBillsAtLeastWhatServes() {
    qt().withExamples(300)
        .forAll(lists().of(integers().between(0, 30)).ofSizeBetween(1, 80),
            integers().between(0, 12))
        .checkAssert((counts, coldStart) -> {
          double[] seen = counts.stream().mapToDouble(Integer::doubleValue).toArray();
          PolicyRun run = score(ScriptedPolicy.observed("actual", seen, coldStart),
              new double[seen.length], coldStart);
          for (int t = 0; t < seen.length; t++) {
            String at = "minute " + t + " of " + counts + ", cold start " + coldStart;
            assertTrue(run.serving()[t] >= seen[t], at);
            assertTrue(run.desired()[t] >= run.serving()[t], at);
          }
        });
  }

  @Test
  void askedCountsAreScoredAsAnySimulatedPolicyIs() {
    double[] demand = {10, 10, 30, 30, 30, 10};
    int[] asks = {1, 3, 3, 3, 1, 1};
    ScalingPolicy reference = new ScalingPolicy() {
      @Override
      public String name() {
        return "shadow";
      }

      @Override
      public int desired(SimulationView view) {
        return asks[view.minute()];
      }
    };
    double[] recorded = Arrays.stream(asks).asDoubleStream().toArray();
    assertEquals(score(reference, demand, 2).result(),
        score(ScriptedPolicy.asking("shadow", recorded), demand, 2).result());
    assertEquals(List.of(1, 1, 1, 3, 1, 1), Arrays.stream(
        score(ScriptedPolicy.asking("shadow", recorded), demand, 2).serving()).boxed().toList());
  }
}
