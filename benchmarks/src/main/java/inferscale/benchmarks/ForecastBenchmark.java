package inferscale.benchmarks;

import inferscale.forecast.Forecast;
import inferscale.forecast.Forecaster;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fit plus forecast of the standard forecaster on the most it is given: 28 days of per-minute
 * history with a weekly cycle (so the weekly-versus-daily evidence is computed too), counting
 * noise, a gap and an outage.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ForecastBenchmark {
  private static final int DAY = 24 * 60;

  @Param({"120", "1440"})
  int horizonMinutes;

  private final Forecaster forecaster = Forecaster.standard();
  private double[] history;

  @Setup
  public void makeHistory() {
    Random random = new Random(42);
    history = new double[28 * DAY];
    for (int m = 0; m < history.length; m++) {
      double rate = 60 - 40 * Math.cos(2 * Math.PI * (m % DAY) / DAY);
      if ((m / DAY) % 7 >= 5) {
        rate /= 2;
      }
      history[m] = Math.max(0, Math.round(rate + Math.sqrt(rate) * random.nextGaussian()));
    }
    Arrays.fill(history, 10 * DAY, 12 * DAY, Double.NaN);
    Arrays.fill(history, 20 * DAY, 20 * DAY + 180, 0);
  }

  @Benchmark
  public Forecast fitAndForecast28Days() {
    return forecaster.forecast(history, horizonMinutes);
  }
}
