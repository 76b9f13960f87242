package inferscale.control;

import static inferscale.control.FakePorts.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.decision.Timing;
import inferscale.forecast.Forecast;
import inferscale.forecast.ForecastStatus;
import inferscale.forecast.Forecaster;
import inferscale.forecast.Seasonality;
import inferscale.trace.SyntheticTraces;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForecastStepTest {
  private static final Timing TIMING = new Timing(10, 2, 15);

  private final FakePorts ports = new FakePorts();
  private final List<double[]> histories = new ArrayList<>();
  private final List<Integer> horizons = new ArrayList<>();

  /** Forecasts {@code 60 × (h + 1)} requests in the h-th minute, twice that as the upper. */
  private final Forecaster rising = (history, horizon) -> {
    histories.add(history);
    horizons.add(horizon);
    double[] point = new double[horizon];
    double[] upper = new double[horizon];
    for (int h = 0; h < horizon; h++) {
      point[h] = 60.0 * (h + 1);
      upper[h] = 2 * point[h];
    }
    return new Forecast(ForecastStatus.OK, Seasonality.DAILY, point, upper);
  };

  private ForecastOutcome run(Forecaster forecaster) {
    return new ForecastStep(ports, ports, ports, forecaster, ports.clock(NOW.plusSeconds(20)))
        .run(new ForecastTask("llm", "AllTraffic", TIMING));
  }

  @Test
  void theForecastStartsRightAfterTheNewestPublishedMinuteAndReachesThroughTheNextRun() {
    ports.history = new double[] {7, 8, 9};
    ForecastOutcome outcome = run(rising);

    // The newest published minute is now − 2: the history ends there, 28 days long.
    assertEquals(List.of(NOW.minus(Duration.ofMinutes(1)), Forecaster.MAX_HISTORY_MINUTES),
        List.of(ports.historyReads.get(0)));
    double[] history = histories.get(0);
    assertEquals(9.0, history[history.length - 1]);
    assertEquals(3, outcome.minutesWithData());
    // Until the next run (15) and a metric delay (2), the floor's lead (12) and window (10).
    assertEquals(List.of(39), horizons);
    ForecastPublication published = ports.published.get(0);
    assertEquals(NOW.minus(Duration.ofMinutes(1)), published.firstMinute());
    assertEquals(39, published.minutes());
    assertEquals(1.0, published.expected().get(0).perSecond(), 1e-12); // 60 a minute
    assertEquals(2.0, published.upper().get(0).perSecond(), 1e-12);
    assertEquals(78, outcome.published());
    assertEquals(NOW.plus(Duration.ofMinutes(37)), outcome.lastMinute());
    assertEquals("TEST", outcome.channel());
  }

  @Test
  void withoutAMetricDelayTheMinuteStillFillingUpIsNotRead() {
    ForecastOutcome outcome = new ForecastStep(ports, ports, ports, rising,
        ports.clock(NOW.plusSeconds(20))).run(new ForecastTask("llm", "AllTraffic",
            new Timing(10, 0, 15)));
    assertEquals(NOW, ports.historyReads.get(0)[0]);
    assertEquals(NOW, outcome.firstMinute());
  }

  @Test
  void saturatedMinutesReachTheForecasterAsLowerBoundsAndTheOutcomeCountsThem() {
    ports.history = new double[] {7, 8, 9};
    ports.saturated.set(1);
    ForecastOutcome outcome = run(rising);

    double[] history = histories.get(0);
    assertTrue(Double.isNaN(history[history.length - 2]),
        "a forecaster without its own treatment leaves a saturated minute out");
    assertEquals(9.0, history[history.length - 1]);
    assertEquals(1, outcome.saturatedMinutes());
    assertEquals(List.of("1 minutes were saturated (5XX errors on 1 % of the requests or more):"
        + " their counts are lower bounds of demand"), outcome.notes());
  }

  @Test
  void theOutcomeSaysWhichMethodsTheForecastBlendedForEachBandOfMinutesAhead() {
    ports.history = Arrays.copyOf(
        SyntheticTraces.burstyWeb(SyntheticTraces.DEFAULT_SEED).requestsArray(), 3 * 24 * 60);
    ForecastOutcome outcome = run(Forecaster.standard());

    assertEquals("OK", outcome.status());
    List<ForecastOutcome.MethodBand> bands = outcome.methods();
    assertEquals(Arrays.asList(15, 60, 120, null),
        bands.stream().map(ForecastOutcome.MethodBand::throughMinute).toList());
    for (ForecastOutcome.MethodBand band : bands) {
      assertTrue(!band.weights().isEmpty(), band.toString());
      assertEquals(1, band.weights().values().stream().mapToDouble(Double::doubleValue).sum(),
          1e-9, band.toString());
      assertTrue(band.weights().values().stream().allMatch(weight -> weight > 0),
          "only the methods used: " + band);
    }
  }

  @Test
  void aRunIsDueOneIntervalAfterTheLast() {
    assertTrue(ForecastStep.due(null, NOW, TIMING));
    assertTrue(!ForecastStep.due(NOW, NOW.plus(Duration.ofMinutes(14)), TIMING));
    assertTrue(ForecastStep.due(NOW, NOW.plus(Duration.ofMinutes(15)), TIMING));
  }

  @Test
  void tooLittleHistoryPublishesNothing() {
    ForecastOutcome outcome = run((history, horizon) -> Forecast.insufficientHistory());
    assertEquals("FORECAST_INSUFFICIENT_HISTORY", outcome.status());
    assertTrue(ports.published.isEmpty());
    assertEquals(0, outcome.published());
    assertNull(outcome.firstMinute());
  }

  @Test
  void aLongerColdStartTheScalerLearnedMakesTheForecastReachFarther() {
    ports.history = new double[] {7, 8, 9};
    ports.minutes(Series.LEARNED_COLD_START, 3, 14);
    ForecastOutcome outcome = run(rising);
    // Lead 14 + 2 and window 14 after the next run (15) and the delay (2).
    assertEquals(List.of(47), horizons);
    assertTrue(outcome.notes().get(0).contains("learned a cold start of 14 minutes"),
        outcome.notes().toString());

    horizons.clear();
    ports.minutes(Series.LEARNED_COLD_START, 3, 6); // shorter than the policy's: no effect
    run(rising);
    assertEquals(List.of(39), horizons);
  }

  @Test
  void aPausedEndpointGetsNoReadsAndNoForecast() {
    ports.paused = true;
    ForecastOutcome outcome = run(rising);
    assertTrue(outcome.paused());
    assertTrue(ports.historyReads.isEmpty());
    assertTrue(ports.reads.isEmpty());
    assertTrue(ports.published.isEmpty());
  }

  @Test
  void anUnreadablePauseSwitchStillForecastsAndSaysSo() {
    ports.pauseFailure = new PortFailure(FailureReason.AWS_REJECTED, "ListTags denied", null);
    ForecastOutcome outcome = run(rising);
    assertEquals(1, ports.published.size());
    assertEquals(List.of("pause switch not readable (ListTags denied); forecasting anyway, the"
        + " scaler checks it itself"), outcome.notes());
  }
}
