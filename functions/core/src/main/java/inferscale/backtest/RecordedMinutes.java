package inferscale.backtest;

/**
 * Per-minute values as recorded, {@code NaN} where nothing was: where the records start and end,
 * and the counts with each gap holding the value before it.
 */
final class RecordedMinutes {
  private RecordedMinutes() {}

  /** The first minute from {@code from} with a value, or -1 when there is none. */
  static int first(double[] values, int from) {
    for (int t = from; t < values.length; t++) {
      if (!Double.isNaN(values[t])) {
        return t;
      }
    }
    return -1;
  }

  /** The last minute with a value, or -1 when there is none. */
  static int last(double[] values) {
    for (int t = values.length - 1; t >= 0; t--) {
      if (!Double.isNaN(values[t])) {
        return t;
      }
    }
    return -1;
  }

  /** Whole counts, each unknown minute holding the last known one (the first, before any). */
  static int[] held(double[] counts) {
    int[] filled = new int[counts.length];
    int first = first(counts, 0);
    int last = first < 0 ? 0 : (int) Math.round(counts[first]);
    for (int t = 0; t < counts.length; t++) {
      if (!Double.isNaN(counts[t])) {
        last = (int) Math.round(counts[t]);
      }
      filled[t] = last;
    }
    return filled;
  }
}
