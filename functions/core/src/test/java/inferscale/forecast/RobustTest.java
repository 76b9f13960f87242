package inferscale.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RobustTest {

  /**
   * The weighted quantile is the smallest value whose cumulative weight, values in order, reaches
   * q of the total: checked against that definition, ties, negatives and -0.0 included.
   */
  @Test
  void weightedQuantileIsTheSmallestValueReachingTheWeightAsked() {
    qt().withExamples(500)
        .forAll(lists().of(doubles().between(-50, 50)).ofSizeBetween(1, 300),
            doubles().between(0.05, 1), longs().all())
        .checkAssert((list, q, seed) -> {
          Random random = new Random(seed);
          int n = list.size();
          double[] values = new double[n];
          double[] weights = new double[n];
          for (int i = 0; i < n; i++) {
            // Ties and signed zeros, as replayed errors of a flat forecast have.
            values[i] = random.nextInt(4) == 0 ? Math.rint(list.get(i) / 10)
                : random.nextInt(9) == 0 ? -0.0 : list.get(i);
            weights[i] = random.nextInt(5) == 0 ? 0 : Math.pow(0.5, random.nextDouble() * 7);
          }
          weights[random.nextInt(n)] = 1;
          double expected = bruteWeightedQuantile(values, weights, q);
          double actual = Robust.weightedQuantile(values.clone(), weights.clone(), n, q);
          // The packing rounds values by at most 2^-35 relative: the same value, or its twin.
          assertEquals(expected, actual, Math.abs(expected) * 1e-9, "q " + q);
        });
  }

  private static double bruteWeightedQuantile(double[] values, double[] weights, double q) {
    Integer[] order = new Integer[values.length];
    double total = 0;
    for (int i = 0; i < values.length; i++) {
      order[i] = i;
      total += weights[i];
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    double cumulative = 0;
    for (int i : order) {
      cumulative += weights[i];
      if (cumulative >= q * total) {
        return values[i];
      }
    }
    return values[order[order.length - 1]];
  }

  /** The selection behind quantile must pick exactly the value sorting would. */
  @Test
  void quantileIsTheOrderStatisticOfTheSortedValues() {
    Random random = new Random(5);
    double[] quantiles = {0.51, 0.9, 0.99};
    for (int trial = 0; trial < 2000; trial++) {
      int n = 1 + random.nextInt(trial < 1000 ? 12 : 500);
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        switch (random.nextInt(6)) {
          case 0 -> values[i] = random.nextInt(3); // many ties
          case 1 -> values[i] = -0.0;
          case 2 -> values[i] = i; // runs already in order
          default -> values[i] = random.nextGaussian();
        }
      }
      if (trial % 7 == 0) {
        values[random.nextInt(n)] = Double.NaN;
      }
      for (double q : quantiles) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double expected = sorted[Math.max(0, Math.min(n - 1, (int) Math.ceil(q * n) - 1))];
        double actual = Robust.quantile(values.clone(), n, q);
        assertEquals(
            Double.doubleToRawLongBits(expected),
            Double.doubleToRawLongBits(actual),
            "trial " + trial + ", q " + q);
      }
    }
  }

  /** The insertion sort behind trimmedMean must add the same values in the same order. */
  @Test
  void trimmedMeanMatchesTheMeanOfTheSortedMiddle() {
    Random random = new Random(6);
    for (int trial = 0; trial < 5000; trial++) {
      int n = 1 + random.nextInt(8);
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = random.nextBoolean() ? random.nextInt(3) : 1e3 * random.nextDouble();
      }
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      int drop = n >= 3 ? 1 : 0;
      double sum = 0;
      for (int i = drop; i < n - drop; i++) {
        sum += sorted[i];
      }
      double expected = sum / (n - 2 * drop);
      assertEquals(
          Double.doubleToRawLongBits(expected),
          Double.doubleToRawLongBits(Robust.trimmedMean(values.clone(), n)),
          "trial " + trial);
    }
  }
}
