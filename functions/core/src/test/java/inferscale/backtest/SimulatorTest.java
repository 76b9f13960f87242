package inferscale.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import inferscale.decision.Timing;
import inferscale.trace.Trace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorTest {
  private static final double NaN = Double.NaN;

  /** Asks for {@code counts[t]} at minute t and records what it could see. */
  private static final class Scripted implements ScalingPolicy {
    private final int[] counts;
    final List<String> seen = new ArrayList<>();

    Scripted(int... counts) {
      this.counts = counts;
    }

    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public int desired(SimulationView view) {
      StringBuilder visible = new StringBuilder();
      for (int m = 0; m <= view.minute(); m++) {
        visible.append(view.hasData(m) ? "d" : ".");
      }
      seen.add(visible.toString());
      return counts[view.minute()];
    }
  }

  private static PolicyRun run(double[] demand, double mu, int coldStart, int delay, int... counts) {
    Trace trace = Trace.ofRequests("t", demand);
    BacktestParameters parameters = new BacktestParameters(20, new Timing(coldStart, delay, 15), 0.7);
    return new Simulator(trace, parameters, mu).run(new Scripted(counts));
  }

  @Test
  void anInstanceIsBilledFromItsRequestAndServesAfterTheColdStart() {
    // mu 10; 1 instance at minute 0; asks for 2 at minute 1, ready at 3.
    PolicyRun run = run(new double[] {5, 15, 15, 15}, 10, 2, 0, 1, 2, 2, 2);
    assertArrayEquals(new int[] {1, 1, 1, 2}, run.serving());
    assertArrayEquals(new int[] {1, 2, 2, 2}, run.desired());
    PolicyResult r = run.result();
    assertEquals(7 / 60.0, r.instanceHours(), 1e-12);
    assertEquals(7 / 7.0, r.costRatio(), 1e-12); // needed 1 + 2 + 2 + 2
    assertEquals(100.0 * 10 / 50, r.unservedPct(), 1e-12); // 5 short at minutes 1 and 2
    assertEquals(50.0, r.underProvisionedMinutesPct(), 1e-12);
    assertEquals(1, r.scaleEvents());
  }

  @Test
  void whatThePolicyAsksForAtMinuteZeroIsAlreadyServing() {
    PolicyRun run = run(new double[] {5, 35, 5}, 10, 8, 0, 4, 4, 4);
    assertArrayEquals(new int[] {4, 4, 4}, run.serving());
    assertEquals(0.0, run.result().unservedPct());
    assertEquals(0, run.result().scaleEvents());
  }

  @Test
  void beforeTheTraceTheEndpointServedTheFirstMinutesDemand() {
    // Delay 2: at minute 0 the newest published minute is -2, which reads as the first minute
    // with data (20 requests, after a leading gap), served by the 2 instances that needs.
    Trace trace = Trace.ofRequests("t", new double[] {NaN, 20, 30});
    Simulator simulator = new Simulator(trace, new BacktestParameters(20, new Timing(8, 2, 15), 0.7), 10);
    List<String> seen = new ArrayList<>();
    simulator.run(new ScalingPolicy() {
      @Override
      public String name() {
        return "probe";
      }

      @Override
      public int desired(SimulationView view) {
        if (view.minute() == 0) {
          int m = view.newestVisibleMinute();
          seen.add(view.hasData(m) + " " + view.demand(m) + " " + view.serving(m) + " "
              + view.waiting(m) + " " + view.kvUsage(m) + " " + view.hasData(m - 30));
        }
        return 3;
      }
    });
    assertEquals(List.of("true 20.0 2 0.0 1.0 true"), seen);
  }

  @Test
  void targetTrackingStartsInItsOwnSteadyState() {
    // 100 requests a minute, mu 10, target 7: target tracking holds 15 from the first minute,
    // as if it had been running, so the trace's start costs it nothing.
    double[] demand = new double[30];
    java.util.Arrays.fill(demand, 100);
    PolicyRun run = new Simulator(Trace.ofRequests("t", demand),
        new BacktestParameters(20, new Timing(8, 2, 15), 0.7), 10).run(new TargetTrackingPolicy(7, 1, 100));
    assertEquals(15, run.desired()[0]);
    assertEquals(15, run.serving()[0]);
    assertEquals(0, run.result().scaleEvents());
  }

  @Test
  void removalIsImmediateAndTakesStartingInstancesFirst() {
    // 1 ready; +2 at minute 1 (ready at 6); back to 2 at minute 2; to 1 at minute 7.
    PolicyRun run = run(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, 10, 5, 0, 1, 3, 2, 2, 2, 2, 2,
        1, 1);
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 2, 1, 1}, run.serving());
    assertArrayEquals(new int[] {1, 3, 2, 2, 2, 2, 2, 1, 1}, run.desired());
    assertEquals(3, run.result().scaleEvents());
  }

  @Test
  void gapsAreNeitherScoredNorVisible() {
    double[] demand = {10, NaN, NaN, 30, 10};
    Scripted policy = new Scripted(1, 1, 1, 1, 1);
    PolicyRun run = new Simulator(Trace.ofRequests("t", demand),
        new BacktestParameters(20, new Timing(0, 0, 15), 0.7), 10).run(policy);
    assertEquals(List.of("d", "d.", "d..", "d..d", "d..dd"), policy.seen);
    PolicyResult r = run.result();
    assertEquals(3 / 60.0, r.instanceHours(), 1e-12); // billed on the 3 scored minutes only
    assertEquals(3 / 5.0, r.costRatio(), 1e-12); // needed 1 + 3 + 1
    assertEquals(100.0 * 20 / 50, r.unservedPct(), 1e-12);
  }

  @Test
  void theControllerSeesMetricsOnlyAfterTheDelay() {
    Scripted policy = new Scripted(1, 1, 1, 1, 1);
    new Simulator(Trace.ofRequests("t", new double[] {1, 1, 1, 1, 1}),
        new BacktestParameters(20, new Timing(0, 2, 15), 0.7), 10).run(policy);
    assertEquals(List.of(".", "..", "d..", "dd..", "ddd.."), policy.seen);
  }

  @Test
  void longTracesAreScoredAfterSevenDaysOfWarmUp() {
    assertEquals(0, BacktestParameters.scoredFrom(15_120)); // exactly 10.5 days
    assertEquals(10_080, BacktestParameters.scoredFrom(15_121));
  }

  @Test
  void backlogCarriesOverWhileDemandExceedsCapacityAndKvUsageIsLoadOverCapacity() {
    double[] demand = {10, 30, 30, 5};
    List<double[]> published = new ArrayList<>();
    ScalingPolicy observer = new ScalingPolicy() {
      @Override
      public String name() {
        return "observer";
      }

      @Override
      public int desired(SimulationView view) {
        if (view.minute() == 3) {
          for (int m = 0; m < 3; m++) {
            published.add(new double[] {view.waiting(m), view.kvUsage(m)});
          }
        }
        return view.minute() == 0 ? 1 : 2; // the second instance never arrives in time
      }
    };
    new Simulator(Trace.ofRequests("t", demand), new BacktestParameters(20, new Timing(60, 0, 15), 0.7), 10)
        .run(observer);
    // 1 instance serves 10/min: minute 0 load 10 (full); minute 1 load 30 → 20 wait;
    // minute 2 load 30 + 20 = 50 → 40 left, capped at one minute's demand (30).
    assertArrayEquals(new double[] {0, 1.0}, published.get(0));
    assertArrayEquals(new double[] {20, 1.0}, published.get(1));
    assertArrayEquals(new double[] {30, 1.0}, published.get(2));
  }

  @Test
  void clairvoyantNeverLeavesDemandUnservedWhateverTheTrace() {
    qt().withExamples(200)
        .forAll(lists().of(integers().between(-1, 500)).ofSizeBetween(1, 200),
            integers().between(0, 15))
        .checkAssert((values, coldStart) -> {
          double[] demand = values.stream().mapToDouble(v -> v < 0 ? NaN : v).toArray();
          demand[0] = Math.max(0, demand[0]);
          Trace trace = Trace.ofRequests("random", demand);
          PolicyRun run = new Simulator(trace, new BacktestParameters(20, new Timing(coldStart, 2, 15), 0.7), 7)
              .run(new ClairvoyantPolicy(trace, coldStart));
          assertEquals(0.0, run.result().unservedPct(), values::toString);
          assertTrue(run.result().costRatio() >= 1.0 - 1e-12 || run.result().costRatio() == 0);
        });
  }

  @Test
  void staticPeakServesEverythingAndNeverScales() {
    PolicyRun run = new Simulator(Trace.ofRequests("t", new double[] {3, 90, 3}),
        new BacktestParameters(20, new Timing(8, 2, 15), 0.7), 10).run(new StaticPeakPolicy(9));
    assertEquals(0, run.result().scaleEvents());
    assertEquals(0.0, run.result().unservedPct());
    assertEquals(27 / 11.0, run.result().costRatio(), 1e-12); // needed 1 + 9 + 1
  }

  @Test
  void theBusiestMinuteATraceMayHoldIsSimulatedExactly() {
    // 600 million requests at 1 per instance: 600 million instances, one cohort in the fleet.
    double[] demand = {1, 600_000_000, 1};
    Trace trace = Trace.ofRequests("t", demand);
    BacktestParameters parameters = new BacktestParameters(20, new Timing(1, 0, 15), 0.7);
    Simulator simulator = new Simulator(trace, parameters, 1);
    PolicyRun peak = simulator.run(new StaticPeakPolicy(600_000_000));
    assertArrayEquals(new int[] {600_000_000, 600_000_000, 600_000_000}, peak.serving());
    assertEquals(0.0, peak.result().unservedPct());
    PolicyRun clairvoyant = simulator.run(new ClairvoyantPolicy(trace, 1));
    assertArrayEquals(new int[] {600_000_000, 600_000_000, 1}, clairvoyant.serving());
    assertEquals(0.0, clairvoyant.result().unservedPct());
  }
}
