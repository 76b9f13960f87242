package inferscale.forecast;

import java.util.function.IntToDoubleFunction;

/**
 * Robust seasonal profile with level adjustment. The profile of a minute is the trimmed mean, over
 * the same minute of past days (or weeks), of the demand averaged over a window around it:
 * averaging removes counting noise, trimming the highest and lowest period drops a flash crowd or
 * an outage. (The trimmed mean beat the median by about 0.3 points of sMAPE on the NASA trace.)
 * The profile is then scaled by how recent demand compares with the profile over the same
 * minutes, which carries level shifts, trends and quiet weekends into the forecast.
 *
 * <p>Weekly seasonality needs three weeks of history (trimming needs three values to drop an
 * outlier) and is used only when, replayed over the last week, it forecast the next three hours
 * better than the daily profile did; otherwise the profile is daily.
 *
 * <p>How many recent minutes set the level is chosen the same way, from the series' own replayed
 * forecasts of the next hour: a smooth, high-volume series is best judged on its last few
 * minutes (on a smooth trace a 60-minute level lost to the last value at 10 and 30 minutes), a
 * noisy one needs an hour or more so that one busy minute does not move the whole forecast.
 */
final class SeasonalProfileMethod implements PointMethod {
  private static final int DAY = Seasonality.DAILY.periodMinutes();
  private static final int WEEK = Seasonality.WEEKLY.periodMinutes();
  private static final int DAILY_PERIODS = 7;
  private static final int WEEKLY_PERIODS = 4;
  private static final int WEEKLY_MIN_HISTORY = 3 * WEEK;
  /**
   * Daily and weekly profiles are compared on forecasts of the mean demand in this many minutes
   * ahead: the span the engine plans over. Judged on the next hour alone, the level adjustment
   * hides most of what the weekly cycle knows; judged further ahead, weekly wins where it helps.
   */
  private static final int EVIDENCE_MINUTES = 180;
  /**
   * Requests per minute added to both demand and profile before taking their ratio: the ratio
   * stays defined where the profile is zero and is not thrown about by a handful of requests.
   */
  private static final double LEVEL_FLOOR = 1;
  /** Candidate level windows, in minutes; the first one judges the seasonality. */
  private static final int[] LEVEL_WINDOWS = {60, 5, 10, 20, 30, 120};
  /** Horizons, in minutes, at which replayed forecasts judge a level window. */
  private static final int[] LEVEL_EVIDENCE_HORIZONS = {5, 10, 20, 30, 45, 60};

  private final ForecasterConfig config;

  SeasonalProfileMethod(ForecasterConfig config) {
    this.config = config;
  }

  @Override
  public int minHistoryMinutes() {
    return DAY;
  }

  @Override
  public Fitted fit(DemandHistory history, int[] origins) {
    Seasonality seasonality = weeklyFitsBetter(history) ? Seasonality.WEEKLY : Seasonality.DAILY;
    int firstOrigin = origins.length == 0 ? history.length() : origins[0];
    FittedProfile best = null;
    double bestError = Double.POSITIVE_INFINITY;
    for (int window : LEVEL_WINDOWS) {
      FittedProfile candidate = best == null
          ? new FittedProfile(history, seasonality, firstOrigin, window)
          : best.withLevelWindow(window);
      double error = candidate.replayedError(origins);
      if (error < bestError) {
        best = candidate;
        bestError = error;
      }
    }
    return best;
  }

  /** What a fitted profile chose, for tests. */
  interface FittedProfileView extends Fitted {
    int levelMinutes();
  }

  /**
   * The profile fitted to one history. Origins replayed an hour apart forecast overlapping
   * minutes (a day apart, with a day's horizon, two dozen origins forecast the same minute), and
   * a minute's smoothed profile is usually the same from all of them, so it is computed once per
   * minute and remembered. Belongs to one forecast call: not safe to share between threads.
   */
  private final class FittedProfile implements FittedProfileView {
    private final DemandHistory history;
    private final Seasonality seasonality;
    private final int halfWidth = config.smoothingMinutes();
    /** First minute remembered: the earliest origin, as no forecast asks for earlier minutes. */
    private final int firstRemembered;
    /** Smoothed profile of minute {@code firstRemembered + i}, valid where {@code remembered[i]}. */
    private final double[] profiles;
    private final boolean[] remembered;
    private final int levelMinutes;

    FittedProfile(
        DemandHistory history, Seasonality seasonality, int firstOrigin, int levelMinutes) {
      this.history = history;
      this.seasonality = seasonality;
      this.firstRemembered = firstOrigin;
      // Only replayed forecasts reuse minutes, and they stop at the end of the history.
      int size = Math.max(0, history.length() - firstOrigin);
      this.profiles = new double[size];
      this.remembered = new boolean[size];
      this.levelMinutes = levelMinutes;
    }

    private FittedProfile(FittedProfile shared, int levelMinutes) {
      this.history = shared.history;
      this.seasonality = shared.seasonality;
      this.firstRemembered = shared.firstRemembered;
      // The profile does not depend on the level window: the memory is shared.
      this.profiles = shared.profiles;
      this.remembered = shared.remembered;
      this.levelMinutes = levelMinutes;
    }

    FittedProfile withLevelWindow(int window) {
      return new FittedProfile(this, window);
    }

    @Override
    public int levelMinutes() {
      return levelMinutes;
    }

    /**
     * Sum of absolute errors of the forecasts replayed from {@code origins} (all but the last,
     * which is now) at the evidence horizons that the history already covers.
     */
    double replayedError(int[] origins) {
      double error = 0;
      for (int k = 0; k < origins.length - 1; k++) {
        IntToDoubleFunction forecast = from(origins[k]);
        for (int h : LEVEL_EVIDENCE_HORIZONS) {
          int minute = origins[k] + h - 1;
          double actual = minute < history.length() ? history.value(minute) : Double.NaN;
          double predicted = forecast.applyAsDouble(minute);
          if (!Double.isNaN(actual) && !Double.isNaN(predicted)) {
            error += Math.abs(actual - Math.max(0, predicted));
          }
        }
      }
      return error;
    }

    @Override
    public Seasonality seasonality() {
      return seasonality;
    }

    @Override
    public IntToDoubleFunction from(int origin) {
      double level = level(history, seasonality, origin, levelMinutes);
      return minute -> (smoothedProfile(minute, origin) + LEVEL_FLOOR) * level - LEVEL_FLOOR;
    }

    /**
     * The profile of the window around {@code minute} as known at {@code origin}. When even the
     * latest period's window, one period back, ends by the origin, the origin cuts no window
     * short and the value is the same from every origin: that one is remembered. Otherwise
     * (forecasts nearly a period ahead) it is computed for this origin alone.
     */
    private double smoothedProfile(int minute, int origin) {
      int from = minute - halfWidth;
      int to = minute + halfWidth + 1;
      int slot = minute - firstRemembered;
      boolean sameFromEveryOrigin = to - seasonality.periodMinutes() <= origin;
      if (!sameFromEveryOrigin || slot < 0 || slot >= profiles.length) {
        return profile(history, seasonality, from, to, origin);
      }
      if (!remembered[slot]) {
        profiles[slot] = profile(history, seasonality, from, to, origin);
        remembered[slot] = true;
      }
      return profiles[slot];
    }
  }

  /**
   * Trimmed mean, over past periods, of the mean demand in the minutes [from, to) shifted back by
   * whole periods, using only minutes before {@code origin}; NaN when no period has data there.
   */
  private static double profile(
      DemandHistory history, Seasonality seasonality, int from, int to, int origin) {
    int period = seasonality.periodMinutes();
    int periods = seasonality == Seasonality.WEEKLY ? WEEKLY_PERIODS : DAILY_PERIODS;
    double[] means = new double[periods];
    int n = 0;
    for (int shift = period; n < periods && to - shift > 0; shift += period) {
      if (from - shift < origin) {
        double mean = history.mean(from - shift, Math.min(origin, to - shift));
        if (!Double.isNaN(mean)) {
          means[n++] = mean;
        }
      }
    }
    return n == 0 ? Double.NaN : Robust.trimmedMean(means, n);
  }

  /**
   * Recent demand over what the profile expected for the same minutes, both lifted by the floor;
   * 1 when either is unknown.
   */
  private static double level(
      DemandHistory history, Seasonality seasonality, int origin, int levelMinutes) {
    int from = origin - levelMinutes;
    double actual = history.mean(from, origin);
    double expected = profile(history, seasonality, from, origin, origin);
    return Double.isNaN(actual) || Double.isNaN(expected)
        ? 1
        : (actual + LEVEL_FLOOR) / (expected + LEVEL_FLOOR);
  }

  /**
   * Whether the weekly profile, scaled to the level as forecasts are, predicted the mean demand of
   * the next {@value #EVIDENCE_MINUTES} minutes better than the daily profile did, from origins
   * spread over the last week.
   */
  private boolean weeklyFitsBetter(DemandHistory history) {
    int now = history.length();
    if (now - history.firstKnown() < WEEKLY_MIN_HISTORY) {
      return false;
    }
    double dailyError = 0;
    double weeklyError = 0;
    for (int origin = now - WEEK; origin + EVIDENCE_MINUTES <= now; origin += EVIDENCE_MINUTES) {
      double actual = history.mean(origin, origin + EVIDENCE_MINUTES);
      double daily = spanAhead(history, Seasonality.DAILY, origin);
      double weekly = spanAhead(history, Seasonality.WEEKLY, origin);
      if (!Double.isNaN(actual) && !Double.isNaN(daily) && !Double.isNaN(weekly)) {
        dailyError += Math.abs(actual - daily);
        weeklyError += Math.abs(actual - weekly);
      }
    }
    return weeklyError < dailyError;
  }

  /** Forecast of the mean demand in the evidence span after {@code origin}, as made at origin. */
  private double spanAhead(DemandHistory history, Seasonality seasonality, int origin) {
    double profile = profile(history, seasonality, origin, origin + EVIDENCE_MINUTES, origin);
    return (profile + LEVEL_FLOOR) * level(history, seasonality, origin, LEVEL_WINDOWS[0])
        - LEVEL_FLOOR;
  }
}
