package inferscale.forecast;

import static inferscale.forecast.SyntheticDemand.DAY;
import static inferscale.forecast.SyntheticDemand.series;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Pins forecasts of the standard forecaster on deterministic synthetic histories, so that making it
 * faster cannot change what it forecasts (re-captured when the level window became chosen by
 * replay, and again when the forecast became a blend of candidate methods with a recency-weighted
 * conformal band and the profile relative to each past day's own level: deliberate changes of
 * method, not of speed). Each case pins the
 * seasonality, the sums of all point and upper values (which move with any single minute) and a
 * few minutes, to within 1e-9 relative.
 */
class StandardForecasterRegressionTest {
  private static final double RELATIVE_TOLERANCE = 1e-9;
  private final Forecaster forecaster = Forecaster.standard();

  /** 28 days with quiet weekends, a two-day gap and a three-hour outage, as in the benchmark. */
  private static double[] messyFourWeeks() {
    double[] history = series(28 * DAY, true, 7);
    Arrays.fill(history, 10 * DAY, 12 * DAY, Double.NaN);
    Arrays.fill(history, 20 * DAY, 20 * DAY + 180, 0);
    return history;
  }

  @Test
  void fourWeeksWithGapAndOutageTwoHoursAhead() {
    assertForecast(
        forecaster.forecast(messyFourWeeks(), 120),
        Seasonality.WEEKLY,
        2603.8739489007576,
        3346.8775330775065,
        new int[] {0, 59, 119},
        new double[] {15.534423813378112, 22.293017012928907, 24.866741616859205},
        new double[] {20.05216034056445, 29.524699010116173, 30.853260828435598});
  }

  /** Beyond a day ahead the windows of the latest past day reach past the origin. */
  @Test
  void fourWeeksWithGapAndOutageMoreThanADayAhead() {
    assertForecast(
        forecaster.forecast(messyFourWeeks(), 1500),
        Seasonality.WEEKLY,
        86638.75606194248,
        100767.61019603488,
        new int[] {0, 59, 1499},
        new double[] {15.534423813378112, 22.293017012928907, 20.67432229347589},
        new double[] {20.05216034056445, 29.524699010116173, 26.55947311725627});
  }

  @Test
  void fourWeeksWithoutWeeklyCycleOneHourAhead() {
    assertForecast(
        forecaster.forecast(series(28 * DAY, false, 8), 60),
        Seasonality.DAILY,
        1243.1793492213174,
        1614.0714365952476,
        new int[] {0, 59},
        new double[] {20.35819552819338, 21.123081597367992},
        new double[] {25.43797046521386, 27.660893544403248});
  }

  /** Under a week of history, origins are replayed closer together than hourly. */
  @Test
  void threeDays() {
    assertForecast(
        forecaster.forecast(series(3 * DAY, true, 9), 120),
        Seasonality.DAILY,
        2680.1735993514685,
        3441.15248160003,
        new int[] {0, 59, 119},
        new double[] {20.222554494685642, 22.253107548189522, 25.257998558818233},
        new double[] {26.190093475349908, 28.776051474563246, 31.997994147485777});
  }

  /** Nothing to replay: the band comes from the last day's counting noise. */
  @Test
  void exactlyOneDay() {
    assertForecast(
        forecaster.forecast(series(DAY, false, 10), 120),
        Seasonality.DAILY,
        2704.271902966096,
        3411.0276454419,
        new int[] {0, 59, 119},
        new double[] {20.419354838709676, 21.524590163934427, 27.60655737704918},
        new double[] {26.043613843605648, 27.292129542789038, 34.10628141100643});
  }

  /** Just over a day: origins are replayed every minute. */
  @Test
  void oneDayAndTwentyMinutes() {
    assertForecast(
        forecaster.forecast(series(DAY + 20, false, 11), 120),
        Seasonality.DAILY,
        2895.972858760522,
        3763.8941911452243,
        new int[] {0, 59, 119},
        new double[] {20.308451206615075, 23.305840572156313, 28.734985445074308},
        new double[] {26.97555009291908, 30.426435439383127, 36.61078799343352});
  }

  private static void assertForecast(
      Forecast forecast,
      Seasonality seasonality,
      double pointSum,
      double upperSum,
      int[] minutes,
      double[] points,
      double[] uppers) {
    assertEquals(seasonality, forecast.seasonality());
    double[] point = forecast.point();
    double[] upper = forecast.upper();
    assertClose(pointSum, Arrays.stream(point).sum(), "sum of point");
    assertClose(upperSum, Arrays.stream(upper).sum(), "sum of upper");
    for (int i = 0; i < minutes.length; i++) {
      assertClose(points[i], point[minutes[i]], "point[" + minutes[i] + "]");
      assertClose(uppers[i], upper[minutes[i]], "upper[" + minutes[i] + "]");
    }
  }

  private static void assertClose(double expected, double actual, String what) {
    assertEquals(expected, actual, Math.abs(expected) * RELATIVE_TOLERANCE, what);
  }
}
