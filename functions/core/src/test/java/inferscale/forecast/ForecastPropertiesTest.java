package inferscale.forecast;

import static inferscale.forecast.SyntheticDemand.DAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ForecastPropertiesTest {
  /** The standard forecaster, every candidate it blends on its own, and the baselines. */
  private static final List<Forecaster> FORECASTERS = forecasters();

  private static List<Forecaster> forecasters() {
    List<Forecaster> forecasters = new ArrayList<>();
    forecasters.add(Forecaster.standard());
    forecasters.addAll(Forecasters.candidateForecasters(ForecasterConfig.defaults()).values());
    forecasters.add(Forecasters.seasonalNaive(Seasonality.DAILY, ForecasterConfig.defaults()));
    forecasters.add(Forecasters.lastValue(ForecasterConfig.defaults()));
    return forecasters;
  }

  /**
   * Whatever the history (any scale, gaps, outages, spikes, garbage values, runs of saturated
   * minutes), a forecast is either refused for short history or finite, non-negative, with the
   * upper quantile at or above the point forecast, for exactly the minutes asked.
   */
  @Test
  void forecastsAreFiniteNonNegativeAndUpperIsAbovePoint() {
    qt().withExamples(40)
        .forAll(
            integers().between(DAY / 2, 3 * DAY),
            doubles().between(0, 2000),
            integers().between(1, 200),
            longs().all())
        .checkAssert(
            (minutes, scale, horizon, seed) -> {
              double[] history = messyHistory(minutes, scale, seed);
              BitSet saturated = saturatedRuns(minutes, seed);
              for (Forecaster forecaster : FORECASTERS) {
                Forecast forecast = seed % 2 == 0 ? forecaster.forecast(history, horizon)
                    : forecaster.forecast(history, saturated, horizon);
                if (!forecast.isOk()) {
                  assertEquals(ForecastStatus.FORECAST_INSUFFICIENT_HISTORY, forecast.status());
                  continue;
                }
                double[] point = forecast.point();
                double[] upper = forecast.upper();
                assertEquals(horizon, point.length);
                for (int h = 0; h < horizon; h++) {
                  assertTrue(Double.isFinite(point[h]) && point[h] >= 0, "point " + point[h]);
                  assertTrue(Double.isFinite(upper[h]) && upper[h] >= point[h], "upper " + upper[h]);
                }
                for (Blend blend : forecast.blends()) {
                  double sum = 0;
                  for (double weight : blend.weights().values()) {
                    assertTrue(weight >= 0 && weight <= 1, blend.toString());
                    sum += weight;
                  }
                  assertEquals(1, sum, 1e-9, blend.toString());
                }
              }
            });
  }

  /** A few runs of saturated minutes, one of them reaching the end of the history. */
  private static BitSet saturatedRuns(int minutes, long seed) {
    Random random = new Random(seed + 1);
    BitSet saturated = new BitSet();
    for (int run = 0; run < 4; run++) {
      int from = random.nextInt(minutes);
      saturated.set(from, Math.min(minutes, from + 1 + random.nextInt(240)));
    }
    saturated.set(minutes - 1 - random.nextInt(30), minutes);
    return saturated;
  }

  /** A noisy daily cycle at {@code scale}, with gaps, zero runs, spikes and invalid values. */
  private static double[] messyHistory(int minutes, double scale, long seed) {
    Random random = new Random(seed);
    double[] history = new double[minutes];
    for (int m = 0; m < minutes; m++) {
      double rate = scale * SyntheticDemand.rate(m, true) / 100;
      history[m] = Math.max(0, Math.round(rate + Math.sqrt(rate) * random.nextGaussian()));
    }
    int incidents = random.nextInt(10);
    for (int i = 0; i < incidents; i++) {
      int start = random.nextInt(minutes);
      int end = Math.min(minutes, start + random.nextInt(6 * 60));
      double value =
          switch (random.nextInt(4)) {
            case 0 -> Double.NaN;
            case 1 -> 0;
            case 2 -> history[start] * 20;
            default -> random.nextBoolean() ? -5 : Double.POSITIVE_INFINITY;
          };
      Arrays.fill(history, start, end, value);
    }
    return history;
  }
}
