package inferscale.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistoryFingerprintTest {

  /** A series of counts with gaps (NaN), from a seed. */
  private static double[] series(long seed, int length) {
    Random random = new Random(seed);
    double[] values = new double[length];
    for (int m = 0; m < length; m++) {
      values[m] = random.nextInt(10) == 0 ? Double.NaN : random.nextInt(50);
    }
    return values;
  }

  /** Minutes [from, to) of the series as a history reads them: NaN outside it. */
  private static double[] window(double[] series, int from, int to) {
    double[] values = new double[to - from];
    for (int m = from; m < to; m++) {
      values[m - from] = m >= 0 && m < series.length ? series[m] : Double.NaN;
    }
    return values;
  }

  @Test
  void aWindowsFingerprintIsThatOfItsValuesAndCountsTheMinutesWithData() {
    qt().withExamples(300)
        .forAll(longs().all(), integers().between(-40, 60), integers().between(0, 80))
        .checkAssert((seed, from, length) -> {
          double[] series = series(seed, 60);
          HistoryFingerprint.Index index = new HistoryFingerprint.Index(series, 40);
          int to = Math.min(60, from + length);
          assertTrue(index.covers(from, to));
          double[] values = window(series, from, to);
          assertEquals(HistoryFingerprint.of(values), index.window(from, to));
          assertEquals(Arrays.stream(values).filter(v -> !Double.isNaN(v)).count(),
              index.minutesWithData(from, to));
        });
  }

  @Test
  void anyChangeOfAValueOrOfTheLengthChangesIt() {
    double[] values = series(7, 1000);
    HistoryFingerprint fingerprint = HistoryFingerprint.of(values);
    for (int m = 0; m < values.length; m += 37) {
      double[] changed = values.clone();
      changed[m] = Double.isNaN(changed[m]) ? 0 : changed[m] + 1;
      assertNotEquals(fingerprint, HistoryFingerprint.of(changed), "minute " + m);
    }
    // A leading minute without data is still a minute: the window is another history.
    double[] longer = new double[values.length + 1];
    longer[0] = Double.NaN;
    System.arraycopy(values, 0, longer, 1, values.length);
    assertNotEquals(fingerprint, HistoryFingerprint.of(longer));
    // Every NaN is alike: a history has no other kind of missing minute.
    double[] otherNan = values.clone();
    otherNan[3] = Double.longBitsToDouble(0x7ff0_0000_0000_0001L);
    values[3] = Double.NaN;
    assertEquals(HistoryFingerprint.of(values), HistoryFingerprint.of(otherNan));
  }

  @Test
  void anIndexCoversOnlyTheMinutesItWasGiven() {
    HistoryFingerprint.Index index = new HistoryFingerprint.Index(series(1, 60), 40);
    assertTrue(index.covers(-40, 60));
    assertFalse(index.covers(-41, 0), "before what it was given");
    assertFalse(index.covers(0, 61), "past the series");
    assertFalse(index.covers(10, 5), "a window ends after it begins");
    IllegalArgumentException outside =
        assertThrows(IllegalArgumentException.class, () -> index.window(0, 61));
    assertEquals("the window [0, 61) is not within the minutes indexed, [-40, 60)",
        outside.getMessage());
  }
}
