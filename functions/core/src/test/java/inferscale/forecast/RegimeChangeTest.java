package inferscale.forecast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.trace.SyntheticTraces;
import inferscale.trace.Trace;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Traffic that changes for good or for a day: the forecaster follows within a few hours, and the
 * daily and weekly profile does not keep forecasting the old level for days. Each case forecasts
 * the next hour from every hour of some stretches and compares the hour's mean with what came.
 * The traces start on a Monday and their weekends run at 70 %, which two weeks of history cannot
 * teach as a weekly cycle: a weekend is a change too, and each stretch starts three hours after
 * the last change before it.
 */
class RegimeChangeTest {
  private static final int DAY = 24 * 60;
  private static final int HOUR = 60;
  /** An hour's counting and overdispersion noise is about 2 %; a missed regime is 40-150 %. */
  private static final double TOLERANCE = 0.12;
  private static final int CHANGE_DAY = 10;
  private static final int SATURDAY = 12 * DAY;

  private final Forecaster forecaster = Forecaster.standard();

  @Test
  void aNewLargeClientDoublingTheRateIsFollowedWithinThreeHoursAndForGood() {
    Trace trace = SyntheticTraces.newClient(SyntheticTraces.DEFAULT_SEED);
    int change = CHANGE_DAY * DAY + DAY / 2;
    assertFollows(trace, change + 3 * HOUR, SATURDAY);
    assertFollows(trace, SATURDAY + 3 * HOUR, trace.length() - HOUR);
  }

  @Test
  void aHolidayIsFollowedWithinThreeHoursAndTheDayAfterIsNotForecastAsAHoliday() {
    Trace trace = SyntheticTraces.holiday(SyntheticTraces.DEFAULT_SEED);
    int holiday = CHANGE_DAY * DAY;
    assertFollows(trace, holiday + 3 * HOUR, holiday + DAY);
    assertFollows(trace, holiday + DAY + 3 * HOUR, SATURDAY);
    assertFollows(trace, SATURDAY + 3 * HOUR, trace.length() - HOUR);
  }

  @Test
  void growthOfThreePercentADayIsForecastWithoutLaggingBehind() {
    Trace trace = SyntheticTraces.growth(SyntheticTraces.DEFAULT_SEED);
    // By the second week the profile's days are up to 23 % below today's level.
    assertFollows(trace, 7 * DAY + 3 * HOUR, SATURDAY);
    assertFollows(trace, SATURDAY + 3 * HOUR, trace.length() - HOUR);
  }

  /**
   * From every hour in [from, to), the next hour's mean forecast is within {@value #TOLERANCE} of
   * the mean that came, relative.
   */
  private void assertFollows(Trace trace, int from, int to) {
    double[] requests = trace.requestsArray();
    double worst = 0;
    int worstOrigin = -1;
    for (int origin = from; origin < to; origin += HOUR) {
      double[] history = Arrays.copyOfRange(requests,
          Math.max(0, origin - Forecaster.MAX_HISTORY_MINUTES), origin);
      double forecast = mean(forecaster.forecast(history, HOUR).point(), 0, HOUR);
      double actual = mean(requests, origin, origin + HOUR);
      double error = Math.abs(forecast - actual) / actual;
      if (error > worst) {
        worst = error;
        worstOrigin = origin;
      }
    }
    assertTrue(worst <= TOLERANCE, String.format("%s: %.1f %% off in the hour from minute %d",
        trace.name(), 100 * worst, worstOrigin));
  }

  private static double mean(double[] values, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return sum / (to - from);
  }
}
