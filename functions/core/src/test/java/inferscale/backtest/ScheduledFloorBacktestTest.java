package inferscale.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.forecast.Forecaster;
import inferscale.planning.FloorSchedule;
import inferscale.trace.Trace;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A nightly batch job that the reactive engine meets late, and an explicit schedule for it: the
 * backtest runs the schedules as the scaler does, a lead early, for InferScale's policies only.
 */
class ScheduledFloorBacktestTest {
  private static final int DAY = 1440;
  /** 03:00 UTC: the trace starts at the epoch. */
  private static final int BATCH_START = 3 * 60;
  private static final int BATCH_MINUTES = 30;
  private static final int FLOOR = 22;

  @Test
  void inferScaleServesAScheduledWindowFromItsFirstMinuteAndTargetTrackingDoesNot() {
    Trace trace = nightlyBatch();
    BacktestParameters parameters = BacktestParameters.defaults().withSchedules(List.of(
        FloorSchedule.of("schedules[0]", "batch", "0-29 3 * * ? *", "UTC", FLOOR)));
    BacktestReport scheduled = Backtest.run(trace, parameters, Forecaster.standard());
    BacktestReport unscheduled =
        Backtest.run(trace, BacktestParameters.defaults(), Forecaster.standard());
    for (int day = 0; day < 2; day++) {
      int opens = day * DAY + BATCH_START;
      for (String name : List.of("inferscale", "reactive")) {
        for (int m = opens; m < opens + BATCH_MINUTES; m++) {
          assertTrue(run(scheduled, name).serving()[m] >= FLOOR,
              name + " serves " + run(scheduled, name).serving()[m] + " at minute " + m);
        }
      }
      assertTrue(run(scheduled, "target-tracking").serving()[opens] < FLOOR,
          "target tracking keeps no schedule");
      assertEquals(run(unscheduled, "target-tracking").serving()[opens],
          run(scheduled, "target-tracking").serving()[opens]);
    }
    assertTrue(result(scheduled, "inferscale").unservedPct()
        < result(unscheduled, "inferscale").unservedPct() / 10, scheduled.policies().toString());
  }

  /** 600 requests a minute, Poisson, and 6,000 from 03:00 for half an hour, for two days. */
  private static Trace nightlyBatch() {
    Random random = new Random(20261202L);
    double[] requests = new double[2 * DAY];
    for (int t = 0; t < requests.length; t++) {
      int minuteOfDay = t % DAY;
      double mean = minuteOfDay >= BATCH_START && minuteOfDay < BATCH_START + BATCH_MINUTES
          ? 6000 : 600;
      requests[t] = Math.round(mean + Math.sqrt(mean) * random.nextGaussian());
    }
    return Trace.ofRequests("nightly-batch", requests);
  }

  private static PolicyRun run(BacktestReport report, String name) {
    return report.runs().get(index(report, name));
  }

  private static PolicyResult result(BacktestReport report, String name) {
    return report.policies().get(index(report, name));
  }

  private static int index(BacktestReport report, String name) {
    for (int i = 0; i < report.policies().size(); i++) {
      if (report.policies().get(i).name().equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no policy " + name);
  }
}
