package inferscale.forecast;

import java.util.function.IntToDoubleFunction;

/**
 * Robust seasonal profile relative to the recent level. A minute is forecast as the demand of the
 * last few minutes (the level window) times how, on past days (or weeks), demand averaged over a
 * window around the same minute compared with demand in the same level window: averaging removes
 * counting noise, each past period being compared with its own level carries level shifts,
 * trends and quiet weekends into the forecast, and the trimmed mean over the periods (highest
 * and lowest dropped) ignores a flash crowd, an outage, or a day whose level stepped in between.
 * (Scaling an absolute profile by the recent level instead kept a step of a few days before in
 * the profile's shape: the hour after the step was forecast 20 % high for days.)
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
    FittedProfile best = null;
    double bestError = Double.POSITIVE_INFINITY;
    for (int window : LEVEL_WINDOWS) {
      FittedProfile candidate = best == null
          ? new FittedProfile(history, seasonality, window)
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

  /** The profile fitted to one history with one level window. */
  private final class FittedProfile implements FittedProfileView {
    private final DemandHistory history;
    private final Seasonality seasonality;
    private final int halfWidth = config.smoothingMinutes();
    private final int levelMinutes;

    FittedProfile(DemandHistory history, Seasonality seasonality, int levelMinutes) {
      this.history = history;
      this.seasonality = seasonality;
      this.levelMinutes = levelMinutes;
    }

    FittedProfile withLevelWindow(int window) {
      return new FittedProfile(history, seasonality, window);
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

    /**
     * The recent level times how the same minutes grew from the level window on past days; the
     * plain profile where that is unknown (no data in the level window now or in any past period,
     * as with a single day of history).
     */
    @Override
    public IntToDoubleFunction from(int origin) {
      double recent = history.mean(origin - levelMinutes, origin);
      double[] pastLevels = pastLevels(history, seasonality, origin, levelMinutes);
      return minute -> {
        int from = minute - halfWidth;
        int to = minute + halfWidth + 1;
        double growth = Double.isNaN(recent) ? Double.NaN
            : growth(history, seasonality, from, to, origin, pastLevels);
        return Double.isNaN(growth) ? profile(history, seasonality, from, to, origin)
            : (recent + LEVEL_FLOOR) * growth - LEVEL_FLOOR;
      };
    }
  }

  /**
   * Trimmed mean, over past periods, of the mean demand in the minutes [from, to) shifted back by
   * whole periods, using only minutes before {@code origin}; NaN when no period has data there.
   */
  private static double profile(
      DemandHistory history, Seasonality seasonality, int from, int to, int origin) {
    int period = seasonality.periodMinutes();
    double[] means = new double[periods(seasonality)];
    int n = 0;
    for (int shift = period; n < means.length && to - shift > 0; shift += period) {
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
   * How demand in the minutes [from, to) compared with demand in the {@code levelMinutes} before
   * {@code origin} on past periods, both shifted back by whole periods and lifted by the floor,
   * using only minutes before the origin; NaN when no period has data in both. Each period is
   * compared with its own level, so a level that changed between periods (a new client, a
   * holiday, growth) changes no shape; the periods with the highest and the lowest ratio are
   * dropped (one whose level stepped within the span, a flash crowd) when there are three or
   * more, and the rest pooled as a ratio of sums: a mean of ratios would lean high on thin
   * traffic, whose short level windows are noisy denominators.
   */
  private static double growth(DemandHistory history, Seasonality seasonality, int from, int to,
      int origin, double[] pastLevels) {
    int period = seasonality.periodMinutes();
    int most = periods(seasonality);
    // Sums over the periods, and the periods of the highest and lowest ratio to take out again:
    // no arrays, as this runs for every minute of every replayed forecast.
    double spanSum = 0;
    double levelSum = 0;
    double highSpan = 0;
    double highLevel = 0;
    double lowSpan = 0;
    double lowLevel = 0;
    int n = 0;
    for (int k = 0, shift = period; n < most && to - shift > 0 && k < pastLevels.length;
        k++, shift += period) {
      if (from - shift < origin) {
        double span = history.mean(from - shift, Math.min(origin, to - shift)) + LEVEL_FLOOR;
        double level = pastLevels[k] + LEVEL_FLOOR;
        if (!Double.isNaN(span) && !Double.isNaN(level)) {
          if (n == 0 || span * highLevel > highSpan * level) {
            highSpan = span;
            highLevel = level;
          }
          if (n == 0 || span * lowLevel <= lowSpan * level) {
            lowSpan = span;
            lowLevel = level;
          }
          spanSum += span;
          levelSum += level;
          n++;
        }
      }
    }
    if (n >= 3) {
      spanSum -= highSpan + lowSpan;
      levelSum -= highLevel + lowLevel;
    }
    return n == 0 ? Double.NaN : spanSum / levelSum;
  }

  /**
   * Demand in the level window before {@code origin} shifted back by 1, 2, ... whole periods,
   * as far as the history goes: the same for every minute forecast from that origin, so it is
   * computed once per origin ({@link #growth} is most of the forecaster's time).
   */
  private static double[] pastLevels(DemandHistory history, Seasonality seasonality, int origin,
      int levelMinutes) {
    int period = seasonality.periodMinutes();
    double[] levels = new double[Math.max(0, origin / period)];
    for (int k = 0; k < levels.length; k++) {
      int shift = (k + 1) * period;
      levels[k] = history.mean(origin - levelMinutes - shift, origin - shift);
    }
    return levels;
  }

  private static int periods(Seasonality seasonality) {
    return seasonality == Seasonality.WEEKLY ? WEEKLY_PERIODS : DAILY_PERIODS;
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
    int levelMinutes = LEVEL_WINDOWS[0];
    double recent = history.mean(origin - levelMinutes, origin);
    return (recent + LEVEL_FLOOR) * growth(history, seasonality, origin,
        origin + EVIDENCE_MINUTES, origin, pastLevels(history, seasonality, origin, levelMinutes))
        - LEVEL_FLOOR;
  }
}
