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
   * sorts that prefix in place.
   */
  static double quantile(double[] values, int n, double q) {
    Arrays.sort(values, 0, n);
    int rank = (int) Math.ceil(q * n);
    return values[Math.max(0, Math.min(n - 1, rank - 1))];
  }

  /**
   * Mean of {@code values[0..n)}, n ≥ 1, without its lowest and highest value when n ≥ 3: one
   * outlying period is dropped, the rest averaged; sorts that prefix in place.
   */
  static double trimmedMean(double[] values, int n) {
    Arrays.sort(values, 0, n);
    int drop = n >= 3 ? 1 : 0;
    double sum = 0;
    for (int i = drop; i < n - drop; i++) {
      sum += values[i];
    }
    return sum / (n - 2 * drop);
  }
}
