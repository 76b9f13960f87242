package inferscale.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RobustTest {

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
