package inferscale.forecast;

import static inferscale.forecast.SyntheticDemand.DAY;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The level window is chosen from the series' own replayed forecasts, not fixed. */
class LevelWindowTest {
  private static final int HISTORY = 8 * DAY;

  /** Hourly replay origins over the last week, then now, as the banded forecaster passes them. */
  private static int[] origins() {
    int[] origins = new int[7 * 24 + 1];
    for (int k = 0; k < origins.length; k++) {
      origins[k] = HISTORY - (origins.length - 1 - k) * 60;
    }
    return origins;
  }

  private static int chosenWindow(double[] demand) {
    PointMethod.Fitted fitted = new SeasonalProfileMethod(ForecasterConfig.defaults())
        .fit(DemandHistory.of(demand), origins());
    return ((SeasonalProfileMethod.FittedProfileView) fitted).levelMinutes();
  }

  @Test
  void aSmoothBusySeriesWhoseLevelWandersIsJudgedOnItsLastMinutes() {
    // 2,000 requests a minute on a daily cycle, times a level that wanders by the hour: counting
    // noise is 2 %, so the last minutes say more about the next ones than the last hour does.
    Random random = new Random(3);
    double[] demand = new double[HISTORY];
    double drift = 0;
    for (int m = 0; m < HISTORY; m++) {
      drift = 0.995 * drift + 0.01 * random.nextGaussian();
      double rate = 2000 * (1 - 0.4 * Math.cos(2 * Math.PI * (m % DAY) / DAY)) * Math.exp(drift);
      demand[m] = Math.round(rate + Math.sqrt(rate) * random.nextGaussian());
    }
    int window = chosenWindow(demand);
    assertTrue(window <= 20, "chose " + window);
  }

  @Test
  void aQuietNoisySeriesNeedsAnHourOrMoreToSetItsLevel() {
    // 5 requests a minute on a steady daily cycle: a few minutes are mostly counting noise.
    Random random = new Random(4);
    double[] demand = new double[HISTORY];
    for (int m = 0; m < HISTORY; m++) {
      double rate = 5 * (1 - 0.4 * Math.cos(2 * Math.PI * (m % DAY) / DAY));
      demand[m] = SyntheticDemand.poisson(rate, random);
    }
    int window = chosenWindow(demand);
    assertTrue(window >= 60, "chose " + window);
  }
}
