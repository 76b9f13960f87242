package inferscale.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SharedForecastsTest {

  @Test
  void eachHistoryAndHorizonIsForecastOnceAndSharedAcrossThreads() {
    AtomicInteger calls = new AtomicInteger();
    Forecaster counting = (history, horizon) -> {
      calls.incrementAndGet();
      return Forecaster.standard().forecast(history, horizon);
    };
    SharedForecasts shared = new SharedForecasts(counting);
    double[] history = SyntheticDemand.series(3 * 24 * 60, false, 7);
    Forecast first = shared.forecast(history, 30);
    IntStream.range(0, 8).parallel().forEach(i -> assertSame(first,
        shared.forecast(history.clone(), 30)));
    assertEquals(1, calls.get());
    Forecast own = Forecaster.standard().forecast(history, 30);
    assertArrayEquals(own.point(), first.point());
    assertArrayEquals(own.upper(), first.upper());

    double[] changed = history.clone();
    changed[100] += 1;
    shared.forecast(changed, 30);
    shared.forecast(history, 31);
    assertEquals(3, calls.get(), "another history or horizon is another forecast");
  }

  @Test
  void aHistoryKnownByItsFingerprintIsReadOnlyWhenNotYetForecast() {
    SharedForecasts shared = new SharedForecasts(Forecaster.standard());
    double[] history = SyntheticDemand.series(3 * 24 * 60, false, 7);
    AtomicInteger reads = new AtomicInteger();
    Supplier<double[]> reading = () -> {
      reads.incrementAndGet();
      return history.clone();
    };
    HistoryFingerprint fingerprint = HistoryFingerprint.of(history);
    Forecast first = shared.forecast(fingerprint, reading, new BitSet(), 30);
    assertEquals(1, reads.get());
    assertSame(first, shared.forecast(fingerprint, reading, new BitSet(), 30));
    // The same forecast as a history given by its values: one key, whichever way it came.
    assertSame(first, shared.forecast(history, 30));
    assertEquals(1, reads.get(), "a history already forecast is not read again");
  }
}
