package inferscale.forecast;

import static inferscale.forecast.SyntheticDemand.DAY;
import static inferscale.forecast.SyntheticDemand.WEEK;
import static inferscale.forecast.SyntheticDemand.mean;
import static inferscale.forecast.SyntheticDemand.meanRate;
import static inferscale.forecast.SyntheticDemand.series;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StandardForecasterTest {
  private static final int HORIZON = 120;
  private final Forecaster forecaster = Forecaster.standard();

  @Test
  void lessThanADayOfHistoryGivesNoForecastAndSaysWhy() {
    Forecast forecast = forecaster.forecast(series(DAY - 1, false, 1), HORIZON);
    assertEquals(ForecastStatus.FORECAST_INSUFFICIENT_HISTORY, forecast.status());
    assertEquals(0, forecast.horizonMinutes());

    double[] mostlyGaps = new double[3 * DAY];
    Arrays.fill(mostlyGaps, Double.NaN);
    System.arraycopy(series(DAY - 1, false, 1), 0, mostlyGaps, 2 * DAY + 1, DAY - 1);
    assertEquals(
        ForecastStatus.FORECAST_INSUFFICIENT_HISTORY,
        forecaster.forecast(mostlyGaps, HORIZON).status());

    assertEquals(ForecastStatus.OK, forecaster.forecast(series(DAY, false, 1), HORIZON).status());
  }

  @Test
  void upToAWeekOfHistoryUsesTheDailyCycleEvenWhenWeekendsDiffer() {
    for (int days : new int[] {1, 3, 7}) {
      Forecast forecast = forecaster.forecast(series(days * DAY, true, 2), HORIZON);
      assertEquals(Seasonality.DAILY, forecast.seasonality(), days + " days");
    }
  }

  @Test
  void weeklyCycleIsChosenOnlyWhenTheSeriesHasOne() {
    assertEquals(
        Seasonality.WEEKLY, forecaster.forecast(series(4 * WEEK, true, 3), HORIZON).seasonality());
    assertEquals(
        Seasonality.DAILY, forecaster.forecast(series(4 * WEEK, false, 3), HORIZON).seasonality());
  }

  @Test
  void forecastFollowsTheDailyCycle() {
    int now = 10 * DAY + 9 * 60; // forecasting from 09:00 into the afternoon rise
    Forecast forecast = forecaster.forecast(series(now, false, 4), HORIZON);
    assertClose(meanRate(now, now + HORIZON, false), mean(forecast.point(), 0, HORIZON), 0.08);
    double[] point = forecast.point();
    assertTrue(mean(point, 90, 120) > mean(point, 0, 30), "rising towards the afternoon peak");
  }

  @Test
  void flashCrowdYesterdayDoesNotRepeatToday() {
    int now = 10 * DAY + 14 * 60;
    double[] history = series(now, false, 5);
    multiplyHour(history, now - DAY, 5);
    Forecast forecast = forecaster.forecast(history, HORIZON);
    assertEquals(Seasonality.DAILY, forecast.seasonality());
    assertClose(meanRate(now, now + 60, false), mean(forecast.point(), 0, 60), 0.1);
  }

  @Test
  void flashCrowdLastWeekDoesNotRepeatThisWeek() {
    int now = 4 * WEEK + 14 * 60;
    double[] history = series(now, true, 5);
    multiplyHour(history, now - WEEK, 5);
    Forecast forecast = forecaster.forecast(history, HORIZON);
    assertEquals(Seasonality.WEEKLY, forecast.seasonality());
    assertClose(meanRate(now, now + 60, true), mean(forecast.point(), 0, 60), 0.1);
  }

  private static void multiplyHour(double[] history, int from, double factor) {
    for (int m = from; m < from + 60; m++) {
      history[m] *= factor;
    }
  }

  @Test
  void outageZerosAndGapsAreNotDemand() {
    int now = 10 * DAY + 12 * 60;
    double[] history = series(now, false, 6);
    Arrays.fill(history, now - 2 * DAY, now - DAY, 0); // a whole day down, two days ago
    Arrays.fill(history, now - 5 * DAY, now - 4 * DAY, Double.NaN); // a day without data
    Arrays.fill(history, now - 3 * 60, now, 0); // down for the last three hours
    Forecast forecast = forecaster.forecast(history, HORIZON);
    assertClose(meanRate(now, now + HORIZON, false), mean(forecast.point(), 0, HORIZON), 0.1);
  }

  @Test
  void quietNightZerosAreDemandAndForecastAsZero() {
    double[] history = new double[3 * DAY];
    for (int m = 0; m < history.length; m++) {
      history[m] = (m % DAY) < 12 * 60 ? 0 : 50;
    }
    Forecast forecast = forecaster.forecast(Arrays.copyOf(history, 2 * DAY + 60), HORIZON);
    assertEquals(0, mean(forecast.point(), 0, 60), 1);
  }

  @Test
  void levelShiftInTheLastHoursIsFollowed() {
    int now = 10 * DAY + 15 * 60;
    double[] history = series(now, false, 7);
    for (int m = now - 3 * 60; m < now; m++) {
      history[m] *= 2;
    }
    Forecast forecast = forecaster.forecast(history, HORIZON);
    assertClose(2 * meanRate(now, now + HORIZON, false), mean(forecast.point(), 0, HORIZON), 0.1);
  }

  @Test
  void upperQuantileCoversAboutNineInTenMinutes() {
    int now = 14 * DAY;
    double[] all = series(now + DAY, false, 8);
    Forecast forecast = forecaster.forecast(Arrays.copyOf(all, now), DAY);
    double[] upper = forecast.upper();
    int covered = 0;
    for (int h = 0; h < DAY; h++) {
      covered += all[now + h] <= upper[h] ? 1 : 0;
    }
    double coverage = covered / (double) DAY;
    assertTrue(coverage > 0.82 && coverage < 0.97, "coverage " + coverage);
  }

  @Test
  void exactlyOneDayOfHistoryStillGetsABandFromTheDaysNoise() {
    Forecast forecast = forecaster.forecast(series(DAY, false, 10), HORIZON);
    double width = mean(forecast.upper(), 0, HORIZON) - mean(forecast.point(), 0, HORIZON);
    double noise = Math.sqrt(meanRate(DAY, DAY + HORIZON, false));
    assertTrue(width > 0.8 * noise && width < 2 * noise, "band width " + width);
  }

  @Test
  void forecastIsACopyAndHorizonIsHonored() {
    double[] history = series(2 * DAY, false, 9);
    double[] before = history.clone();
    Forecast forecast = forecaster.forecast(history, 3 * DAY);
    assertArrayEquals(before, history, "history untouched");
    assertEquals(3 * DAY, forecast.point().length);
    forecast.point()[0] = -1;
    forecast.upper()[0] = -1;
    assertTrue(forecast.point()[0] >= 0 && forecast.upper()[0] >= 0);
    assertThrows(IllegalArgumentException.class, () -> forecaster.forecast(history, 0));
  }

  @Test
  void configRejectsNonsense() {
    ForecasterConfig defaults = ForecasterConfig.defaults();
    assertEquals(0.9, defaults.upperQuantile());
    assertEquals(0.95, defaults.withUpperQuantile(0.95).upperQuantile());
    assertThrows(IllegalArgumentException.class, () -> defaults.withUpperQuantile(0.5));
    assertThrows(IllegalArgumentException.class, () -> defaults.withUpperQuantile(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new ForecasterConfig(0.9, -1, 7));
    assertThrows(IllegalArgumentException.class, () -> new ForecasterConfig(0.9, 30, 0));
  }

  private static void assertClose(double expected, double actual, double relativeTolerance) {
    assertTrue(
        Math.abs(actual - expected) <= relativeTolerance * expected,
        "expected " + expected + " ± " + relativeTolerance * 100 + "%, got " + actual);
  }
}
