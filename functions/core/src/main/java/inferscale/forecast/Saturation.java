package inferscale.forecast;

import java.util.Arrays;
import java.util.BitSet;

/** What the forecasters make of saturated minutes, whose counts are lower bounds of demand. */
final class Saturation {
  /**
   * While a saturation lasts, the mean count of this many latest minutes (each demand or a lower
   * bound of it) is a level demand is at least at.
   */
  static final int LOWER_BOUND_MINUTES = 10;
  /** The lower bound holds the forecast up this far ahead; later the forecast's own level does. */
  static final int LOWER_BOUND_HORIZON = 60;
  /**
   * Saturated minutes this recent are filled in with what was forecast for them before the
   * saturation began; older ones are left out as gaps (the profile's trimmed mean over days
   * barely misses one afternoon).
   */
  static final int IMPUTED_MINUTES = 6 * 60;
  /**
   * Marks on more than this share of the last day's minutes describe how the endpoint always
   * runs, not a saturation to see past: they are ignored, as leaving them out would leave nothing
   * to forecast from.
   */
  static final double PERVASIVE_SHARE = 0.5;
  private static final int DAY = Seasonality.DAILY.periodMinutes();
  /**
   * Saturation is a state that lasts: marks in runs shorter than this (a minute or two of errors:
   * a bad deployment of a client, a blip) do not make the counts lower bounds and are dropped.
   */
  static final int SUSTAINED_MINUTES = 3;

  private Saturation() {}

  /** The marks that belong to runs of at least {@value #SUSTAINED_MINUTES} minutes. */
  static BitSet sustained(BitSet saturated) {
    BitSet sustained = new BitSet();
    int from = saturated.nextSetBit(0);
    while (from >= 0) {
      int to = saturated.nextClearBit(from);
      if (to - from >= SUSTAINED_MINUTES) {
        sustained.set(from, to);
      }
      from = saturated.nextSetBit(to);
    }
    return sustained;
  }

  /**
   * Whether the marks cover more than {@value #PERVASIVE_SHARE} of the last day's minutes with a
   * usable count.
   */
  static boolean pervasive(double[] history, BitSet saturated) {
    int known = 0;
    int marked = 0;
    for (int i = Math.max(0, history.length - DAY); i < history.length; i++) {
      if (DemandHistory.usable(history[i])) {
        known++;
        marked += saturated.get(i) ? 1 : 0;
      }
    }
    return marked > PERVASIVE_SHARE * known;
  }

  /** {@code history} with the saturated minutes made gaps. */
  static double[] masked(double[] history, BitSet saturated) {
    double[] masked = history.clone();
    for (int i = saturated.nextSetBit(0); i >= 0 && i < masked.length;
        i = saturated.nextSetBit(i + 1)) {
      masked[i] = Double.NaN;
    }
    return masked;
  }

  /**
   * The history as demand: saturated minutes of the last {@value #IMPUTED_MINUTES} minutes hold
   * the larger of what was served and what {@code forecaster} forecast for them from the minutes
   * before the first of them; older saturated minutes are gaps. Leaving recent ones out would
   * not do: the minutes that stay unsaturated while demand presses at the capacity are its
   * quieter ones, and the level read from them alone is low.
   */
  static double[] imputed(double[] history, BitSet saturated, Forecaster forecaster) {
    double[] demand = masked(history, saturated);
    int first = saturated.nextSetBit(Math.max(0, history.length - IMPUTED_MINUTES));
    if (first < 0 || first >= history.length) {
      return demand;
    }
    Forecast before = forecaster.forecast(Arrays.copyOf(demand, first), history.length - first);
    if (!before.isOk()) {
      return demand;
    }
    double[] expected = before.point();
    for (int m = first; m < history.length; m++) {
      if (saturated.get(m) && DemandHistory.usable(history[m])) {
        demand[m] = Math.max(history[m], expected[m - first]);
      }
    }
    return demand;
  }

  /**
   * The level demand is at least at now: when the latest minute with a usable count is saturated,
   * the mean count of the last {@value #LOWER_BOUND_MINUTES} such minutes, each a count of demand
   * or a lower bound of it (the saturated ones alone would be the busiest minutes, not the
   * level); 0 when it is not saturated (the saturation is over, or there was none).
   */
  static double lowerBound(double[] history, BitSet saturated) {
    int last = history.length - 1;
    while (last >= 0 && !DemandHistory.usable(history[last])) {
      last--;
    }
    if (last < 0 || !saturated.get(last)) {
      return 0;
    }
    double sum = 0;
    int count = 0;
    for (int i = last; i >= 0 && count < LOWER_BOUND_MINUTES; i--) {
      if (DemandHistory.usable(history[i])) {
        sum += history[i];
        count++;
      }
    }
    return sum / count;
  }
}
