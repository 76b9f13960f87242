package inferscale.forecast;

import java.util.Arrays;

/**
 * The last 28 days of a request history with outages masked, and prefix sums for fast window
 * means. Minutes without data and outage minutes are {@code NaN}: they are not demand.
 */
final class DemandHistory {
  /** A zero run this long or longer may be an outage; shorter ones are ordinary quiet minutes. */
  private static final int OUTAGE_MIN_MINUTES = 10;
  /**
   * A zero run is an outage when the same minutes on other days held at least this many
   * requests: Poisson demand with that mean is all zero with probability e^-20.
   */
  private static final double OUTAGE_MIN_EXPECTED_REQUESTS = 20;
  private static final int DAY = Seasonality.DAILY.periodMinutes();
  private static final int OUTAGE_REFERENCE_DAYS = 7;

  private final double[] values;
  private final double[] sums;
  private final int[] counts;

  private DemandHistory(double[] values) {
    this.values = values;
    this.sums = new double[values.length + 1];
    this.counts = new int[values.length + 1];
    accumulateFrom(0);
  }

  /** (Re)computes the prefix sums and counts after minute {@code from}, given those before it. */
  private void accumulateFrom(int from) {
    for (int i = from; i < values.length; i++) {
      boolean known = !Double.isNaN(values[i]);
      sums[i + 1] = sums[i] + (known ? values[i] : 0);
      counts[i + 1] = counts[i] + (known ? 1 : 0);
    }
  }

  /**
   * The last 28 days of {@code history} from its first usable minute (what comes before it carries
   * nothing, and forecasts only ever look back from the end), with negative or infinite values
   * treated as missing and outage zero runs masked.
   */
  static DemandHistory of(double[] history) {
    int from = Math.max(0, history.length - Forecaster.MAX_HISTORY_MINUTES);
    while (from < history.length && !usable(history[from])) {
      from++;
    }
    double[] values = new double[history.length - from];
    for (int i = 0; i < values.length; i++) {
      values[i] = usable(history[from + i]) ? history[from + i] : Double.NaN;
    }
    DemandHistory demand = new DemandHistory(values);
    // Outages are judged on the sums of the raw values; masking them changes the sums only from
    // the first masked minute on, so only those are redone, in place, not the whole 28 days.
    int firstMasked = demand.maskOutages();
    if (firstMasked < values.length) {
      demand.accumulateFrom(firstMasked);
    }
    return demand;
  }

  /**
   * Sets outage zero runs to NaN in place, leaving the sums as they were; returns the first
   * masked minute, or {@link #length()} when none was.
   */
  private int maskOutages() {
    int firstMasked = values.length;
    int i = 0;
    while (i < values.length) {
      if (values[i] != 0) {
        i++;
        continue;
      }
      int end = i;
      while (end < values.length && values[end] == 0) {
        end++;
      }
      if (end - i >= OUTAGE_MIN_MINUTES && typicalRequests(i, end) >= OUTAGE_MIN_EXPECTED_REQUESTS) {
        Arrays.fill(values, i, end, Double.NaN);
        firstMasked = Math.min(firstMasked, i);
      }
      i = end;
    }
    return firstMasked;
  }

  /** Median over nearby days of the requests in the same minutes of the day as [from, to). */
  private double typicalRequests(int from, int to) {
    double[] totals = new double[2 * OUTAGE_REFERENCE_DAYS];
    int n = 0;
    for (int d = -OUTAGE_REFERENCE_DAYS; d <= OUTAGE_REFERENCE_DAYS; d++) {
      int start = from + d * DAY;
      if (d == 0 || start < 0 || to + d * DAY > values.length) {
        continue;
      }
      double mean = mean(start, to + d * DAY);
      if (!Double.isNaN(mean)) {
        totals[n++] = mean * (to - from);
      }
    }
    return n == 0 ? 0 : Robust.median(totals, n);
  }

  int length() {
    return values.length;
  }

  /** Requests in minute i, NaN when unknown. */
  double value(int i) {
    return values[i];
  }

  /** Mean of the known minutes in [from, to), clipped to the history; NaN when none is known. */
  double mean(int from, int to) {
    int a = Math.max(0, from);
    int b = Math.min(values.length, to);
    if (a >= b) {
      return Double.NaN;
    }
    int known = counts[b] - counts[a];
    return known == 0 ? Double.NaN : (sums[b] - sums[a]) / known;
  }

  /** A count of requests: finite and not negative. */
  static boolean usable(double requests) {
    return Double.isFinite(requests) && requests >= 0;
  }

  /** Index of the first known minute, or {@link #length()} when none is. */
  int firstKnown() {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isNaN(values[i])) {
        return i;
      }
    }
    return values.length;
  }
}
