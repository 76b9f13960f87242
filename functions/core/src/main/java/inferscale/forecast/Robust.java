package inferscale.forecast;

import java.util.Arrays;

/** Order statistics on small samples. */
final class Robust {
  private Robust() {}

  /** Median of {@code values[0..n)}, n ≥ 1; sorts that prefix in place. */
  static double median(double[] values, int n) {
    Arrays.sort(values, 0, n);
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  /**
   * The q-quantile of {@code values[0..n)}, n ≥ 1, as the order statistic at rank ceil(q·n);
   * reorders that prefix in place.
   */
  static double quantile(double[] values, int n, double q) {
    int rank = (int) Math.ceil(q * n);
    return select(values, n, Math.max(0, Math.min(n - 1, rank - 1)));
  }

  /** Low bits of a sort key that carry the value's index instead of its last mantissa bits. */
  private static final int INDEX_BITS = 17;

  /**
   * The weighted q-quantile of {@code values[0..n)}: the smallest value at or below which lies at
   * least q of the total weight. Sorts primitive keys rather than boxed indexes (tens of thousands
   * of errors per fit): each key is the value's order-preserving bit pattern with its lowest
   * {@value #INDEX_BITS} mantissa bits replaced by its index, a relative rounding of 2^-35 that no
   * quantile of demand can see.
   *
   * @throws IllegalArgumentException when n ≥ 2^{@value #INDEX_BITS} or no weight is positive
   */
  static double weightedQuantile(double[] values, double[] weights, int n, double q) {
    if (n >= 1 << INDEX_BITS) {
      throw new IllegalArgumentException("too many values for a weighted quantile: " + n);
    }
    long indexMask = (1L << INDEX_BITS) - 1;
    long[] keys = new long[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      long bits = Double.doubleToLongBits(values[i]);
      long ordered = bits ^ ((bits >> 63) & Long.MAX_VALUE);
      keys[i] = (ordered & ~indexMask) | i;
      total += weights[i];
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("weights must have a positive sum");
    }
    Arrays.sort(keys);
    double needed = q * total;
    double cumulative = 0;
    for (int k = 0; k < n; k++) {
      int i = (int) (keys[k] & indexMask);
      cumulative += weights[i];
      if (cumulative >= needed) {
        return values[i];
      }
    }
    return values[(int) (keys[n - 1] & indexMask)];
  }

  /**
   * The value at index k of {@code values[0..n)} once sorted as {@link Arrays#sort(double[])}
   * sorts, found in linear expected time rather than by sorting: the banded forecaster takes
   * quantiles of tens of thousands of replayed errors per fit, and sorting them was most of its
   * cost. Reorders the prefix in place (Hoare's FIND: partition around a value, keep the side
   * holding k). {@link Double#compare} gives the same total order as the sort, NaN and -0.0
   * included, so the result is the very value the sort would have put at k.
   */
  private static double select(double[] values, int n, int k) {
    int low = 0;
    int high = n - 1;
    while (low < high) {
      double pivot = values[k];
      int i = low;
      int j = high;
      do {
        while (Double.compare(values[i], pivot) < 0) {
          i++;
        }
        while (Double.compare(pivot, values[j]) < 0) {
          j--;
        }
        if (i <= j) {
          double swapped = values[i];
          values[i] = values[j];
          values[j] = swapped;
          i++;
          j--;
        }
      } while (i <= j);
      // Now values[low..j] ≤ pivot ≤ values[i..high], and anything between equals the pivot.
      if (j < k) {
        low = i;
      }
      if (k < i) {
        high = j;
      }
    }
    return values[k];
  }

  /**
   * Mean of {@code values[0..n)}, n ≥ 1, without its lowest and highest value when n ≥ 3: one
   * outlying period is dropped, the rest averaged; sorts that prefix in place.
   */
  static double trimmedMean(double[] values, int n) {
    sortFew(values, n);
    int drop = n >= 3 ? 1 : 0;
    double sum = 0;
    for (int i = drop; i < n - drop; i++) {
      sum += values[i];
    }
    return sum / (n - 2 * drop);
  }

  /**
   * Sorts {@code values[0..n)} in place into the order {@link Arrays#sort(double[])} gives: by
   * {@link Double#compare}, so a trimmed sum adds the same values in the same order. A profile
   * trims at most seven periods, for every minute of a week per fit; for so few values the
   * library sort's set-up (it first sweeps for NaN and -0.0) cost more than the sorting.
   */
  private static void sortFew(double[] values, int n) {
    for (int i = 1; i < n; i++) {
      double value = values[i];
      int j = i - 1;
      while (j >= 0 && Double.compare(values[j], value) > 0) {
        values[j + 1] = values[j];
        j--;
      }
      values[j + 1] = value;
    }
  }
}
