package inferscale.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.forecast.Forecaster;
import inferscale.trace.Trace;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A smooth, high-volume rate that steps up and holds, as an LLM fleet's does when a large client
 * arrives. Once asked, the endpoint is updating for the cold start and takes no second ask, so the
 * first ask must cover the step: sized on a mean with the calm minute before it, it left the
 * endpoint short a second cold start.
 */
class LevelShiftBacktestTest {
  private static final int DAY = 1440;
  private static final int STEP = 3 * DAY + 7;

  @Test
  void inferScaleAsksForTheWholeStepAtTheFirstMinuteItSees() {
    Trace trace = stepUp(60_000, 150_000);
    BacktestReport report =
        Backtest.run(trace, BacktestParameters.defaults(), Forecaster.standard());
    PolicyRun inferscale = run(report, "inferscale");
    double mu = report.parameters().muPerInstance();
    int delay = BacktestParameters.defaults().timing().metricDelayMinutes();
    int coldStart = BacktestParameters.defaults().timing().coldStartMinutes();
    double[] demand = trace.requestsArray();

    int firstSeen = STEP + delay;
    int needed = (int) Math.ceil(demand[STEP] / (0.7 * mu));
    assertEquals(needed, inferscale.desired()[firstSeen], "asked for at the first minute seen");
    assertTrue(inferscale.desired()[firstSeen - 1] < needed / 2, "nothing asked before");
    for (int m = firstSeen + coldStart; m < firstSeen + coldStart + 60; m++) {
      assertTrue(inferscale.serving()[m] * mu >= demand[m],
          "short at minute " + (m - STEP) + " after the step");
    }
    assertTrue(result(report, "inferscale").unservedPct()
        < result(report, "target-tracking").unservedPct(), report.policies().toString());
  }

  /** {@code before} requests a minute for three days and 7 minutes, then {@code after}, Poisson. */
  private static Trace stepUp(double before, double after) {
    Random random = new Random(20261202L);
    double[] requests = new double[4 * DAY];
    for (int t = 0; t < requests.length; t++) {
      double mean = t < STEP ? before : after;
      requests[t] = Math.round(mean + Math.sqrt(mean) * random.nextGaussian());
    }
    return Trace.ofRequests("step-up", requests);
  }

  private static PolicyRun run(BacktestReport report, String name) {
    for (int i = 0; i < report.policies().size(); i++) {
      if (report.policies().get(i).name().equals(name)) {
        return report.runs().get(i);
      }
    }
    throw new AssertionError("no policy " + name);
  }

  private static PolicyResult result(BacktestReport report, String name) {
    return report.policies().stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow();
  }
}
