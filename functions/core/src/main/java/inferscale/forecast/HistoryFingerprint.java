package inferscale.forecast;

/**
 * A request history known by its values without keeping them: its length and two polynomial
 * hashes, modulo the prime 2^61 − 1, of the 32-bit halves of each minute's value (every NaN alike).
 * Two histories with the same fingerprint have, but for a chance of about one in 10^30, the same
 * values, so a forecast of one is a forecast of the other. {@link Index} gives the fingerprint of
 * any window of a long series in a few dozen multiplications, the same as {@link #of} over the
 * window's values: a backtest's runs then know a history without building it.
 */
public record HistoryFingerprint(int length, long hash, long check) {
  private static final long MODULUS = (1L << 61) - 1;
  private static final long BASE = 0x1f3a_8c2b_59e4_d617L % MODULUS;
  private static final long CHECK_BASE = 0x0b7e_4d29_c1a5_f389L % MODULUS;

  /** The fingerprint of {@code history}'s values. */
  public static HistoryFingerprint of(double[] history) {
    long hash = 0;
    long check = 0;
    for (double value : history) {
      long bits = Double.doubleToLongBits(value);
      hash = push(push(hash, bits >>> 32, BASE), bits & 0xffff_ffffL, BASE);
      check = push(push(check, bits >>> 32, CHECK_BASE), bits & 0xffff_ffffL, CHECK_BASE);
    }
    return new HistoryFingerprint(history.length, hash, check);
  }

  /**
   * The fingerprints of the windows of one series and of the minutes before it, which read as NaN
   * (no data), as a history reaching back past its start has them.
   */
  public static final class Index {
    private final int before;
    private final long[] hashes;
    private final long[] checks;
    private final int[] withData;

    /**
     * @param series the values, NaN where there is no data
     * @param before how many minutes before the series a window may start
     */
    public Index(double[] series, int before) {
      this.before = before;
      int minutes = before + series.length;
      hashes = new long[minutes + 1];
      checks = new long[minutes + 1];
      withData = new int[minutes + 1];
      for (int i = 0; i < minutes; i++) {
        double value = i < before ? Double.NaN : series[i - before];
        long bits = Double.doubleToLongBits(value);
        hashes[i + 1] = push(push(hashes[i], bits >>> 32, BASE), bits & 0xffff_ffffL, BASE);
        checks[i + 1] =
            push(push(checks[i], bits >>> 32, CHECK_BASE), bits & 0xffff_ffffL, CHECK_BASE);
        withData[i + 1] = withData[i] + (Double.isNaN(value) ? 0 : 1);
      }
    }

    /** True when [from, to) lies within what the index covers. */
    public boolean covers(int from, int to) {
      return from >= -before && from <= to && to + before < hashes.length;
    }

    /** The fingerprint of minutes [from, to), as {@link #of} their values gives it. */
    public HistoryFingerprint window(int from, int to) {
      checkCovers(from, to);
      int a = from + before;
      int b = to + before;
      long shifts = 2L * (to - from); // two halves a minute
      return new HistoryFingerprint(to - from,
          subtract(hashes[b], multiply(hashes[a], power(BASE, shifts))),
          subtract(checks[b], multiply(checks[a], power(CHECK_BASE, shifts))));
    }

    /** Minutes of [from, to) with data. */
    public int minutesWithData(int from, int to) {
      checkCovers(from, to);
      return withData[to + before] - withData[from + before];
    }

    private void checkCovers(int from, int to) {
      if (!covers(from, to)) {
        throw new IllegalArgumentException("the window [" + from + ", " + to + ") is not within"
            + " the minutes indexed, [" + -before + ", " + (hashes.length - 1 - before) + ")");
      }
    }
  }

  private static long push(long hash, long half, long base) {
    long sum = multiply(hash, base) + half;
    return sum >= MODULUS ? sum - MODULUS : sum;
  }

  /** {@code a · b mod 2^61 − 1}, for a and b below the modulus. */
  private static long multiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    // The product is (high·2^64 + low) = rest·2^61 + (low mod 2^61), and 2^61 ≡ 1.
    long sum = (low & MODULUS) + ((low >>> 61) | (high << 3));
    sum = (sum & MODULUS) + (sum >>> 61);
    return sum >= MODULUS ? sum - MODULUS : sum;
  }

  private static long subtract(long a, long b) {
    long difference = a - b;
    return difference < 0 ? difference + MODULUS : difference;
  }

  private static long power(long base, long exponent) {
    long result = 1;
    for (long square = base; exponent > 0; exponent >>= 1, square = multiply(square, square)) {
      if ((exponent & 1) == 1) {
        result = multiply(result, square);
      }
    }
    return result;
  }
}
