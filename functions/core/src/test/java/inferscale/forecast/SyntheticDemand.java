package inferscale.forecast;

import java.util.Random;

/** Seeded per-minute demand with a daily cycle, an optional quiet weekend and counting noise. */
public final class SyntheticDemand {
  static final int DAY = 24 * 60;
  static final int WEEK = 7 * DAY;

  private SyntheticDemand() {}

  /** Expected requests in minute m: 20 at night to 100 mid-afternoon, halved at weekends. */
  static double rate(int minute, boolean weekendDip) {
    double daily = 60 - 40 * Math.cos(2 * Math.PI * (minute % DAY) / DAY);
    boolean weekend = (minute / DAY) % 7 >= 5;
    return weekendDip && weekend ? daily / 2 : daily;
  }

  /** {@code minutes} of noisy demand around {@link #rate}. */
  static double[] series(int minutes, boolean weekendDip, long seed) {
    Random random = new Random(seed);
    double[] values = new double[minutes];
    for (int m = 0; m < minutes; m++) {
      double rate = rate(m, weekendDip);
      values[m] = Math.max(0, Math.round(rate + Math.sqrt(rate) * random.nextGaussian()));
    }
    return values;
  }

  /** A Poisson count (Knuth's method: fine for the few requests a minute of thin traffic). */
  public static double poisson(double mean, Random random) {
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    int count = 0;
    while (product > limit) {
      product *= random.nextDouble();
      count++;
    }
    return count;
  }

  /** Mean of {@code values[from, to)}. */
  static double mean(double[] values, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return sum / (to - from);
  }

  /** Mean expected rate over minutes [from, to). */
  static double meanRate(int from, int to, boolean weekendDip) {
    double sum = 0;
    for (int m = from; m < to; m++) {
      sum += rate(m, weekendDip);
    }
    return sum / (to - from);
  }
}
