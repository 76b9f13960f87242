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
}
