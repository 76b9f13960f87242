package inferscale.control;

import inferscale.decision.SignalPoint;
import inferscale.decision.Timing;
import inferscale.forecast.Forecast;
import inferscale.forecast.Forecaster;
import inferscale.units.RequestRate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * One forecaster run, the same in the ForecastFunction and the backtest: read up to {@link
 * Forecaster#MAX_HISTORY_MINUTES} of requests per minute ending with the newest published minute,
 * forecast, and publish the upper quantile and the expected rate per future minute, as far ahead
 * as the scaler's floor needs until the next run ({@link Timing#forecastReachMinutes()}): the
 * scaler reads overlapping forecasts as their maximum, so a longer reach would let stale forecasts
 * linger in its floor. A paused endpoint gets no reads and no forecast; when the pause switch
 * cannot be read the run forecasts anyway (a forecast changes no endpoint, and the scaler checks
 * the switch itself before it changes anything).
 */
public final class ForecastStep {
  private final Telemetry telemetry;
  private final ForecastStore store;
  private final PauseSwitch pause;
  private final Forecaster forecaster;
  private final Clock clock;

  public ForecastStep(Telemetry telemetry, ForecastStore store, PauseSwitch pause,
      Forecaster forecaster, Clock clock) {
    this.telemetry = telemetry;
    this.store = store;
    this.pause = pause;
    this.forecaster = forecaster;
    this.clock = clock;
  }

  /**
   * Whether a run is due: a forecast lasts one forecast interval, so the next run is due that long
   * after the last (its schedule's {@code rate(N minutes)} on AWS; the backtest and the replay ask
   * here).
   *
   * @param lastRun when it last ran, or null when it has not
   */
  public static boolean due(Instant lastRun, Instant now, Timing timing) {
    return lastRun == null || !now.isBefore(
        lastRun.plus(Duration.ofMinutes(timing.forecastIntervalMinutes())));
  }

  /** @throws PortFailure when the history cannot be read or the forecast not published */
  public ForecastOutcome run(ForecastTask task) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    List<String> notes = new ArrayList<>();
    try {
      if (pause.paused()) {
        return new ForecastOutcome(task.endpointName(), task.variantName(),
            task.inferenceComponentName(), store.channel(), true, 0, 0, 0, null,
            "endpoint is paused: nothing read or published", List.of(), 0, null, null, notes);
      }
    } catch (PortFailure e) {
      notes.add("pause switch not readable (" + e.getMessage()
          + "); forecasting anyway, the scaler checks it itself");
    }
    Timing timing = learnedColdStart(task.timing(), now, notes);
    // The history ends with the newest published minute, and never with this one, still filling
    // up; the forecast starts right after it.
    Instant first = now.minus(Duration.ofMinutes(Math.max(1, timing.metricDelayMinutes()) - 1L));
    RequestHistory read = telemetry.requestHistory(first, Forecaster.MAX_HISTORY_MINUTES);
    int withData = read.minutesWithData();
    int saturated = read.saturatedWithData();
    if (saturated > 0) {
      notes.add(saturated + " minutes were saturated (5XX errors on 1 % of the requests or more):"
          + " their counts are lower bounds of demand");
    }
    // Known by its fingerprint (in a backtest), a history already forecast need not be built.
    Forecast forecast = read.knownFingerprint() == null
        ? forecaster.forecast(read.requestsUncopied(), read.saturated(),
            timing.forecastReachMinutes())
        : forecaster.forecast(read.knownFingerprint(), read::requestsUncopied, read.saturated(),
            timing.forecastReachMinutes());
    List<RequestRate> upper = new ArrayList<>();
    List<RequestRate> expected = new ArrayList<>();
    double[] upperPerMinute = forecast.upper();
    double[] pointPerMinute = forecast.point();
    for (int h = 0; h < forecast.horizonMinutes(); h++) {
      upper.add(RequestRate.ofPerMinute(upperPerMinute[h]));
      expected.add(RequestRate.ofPerMinute(pointPerMinute[h]));
    }
    ForecastPublication publication = new ForecastPublication(first, upper, expected);
    if (publication.minutes() > 0) {
      store.publish(publication);
    }
    String note = forecast.isOk() ? null
        : "less than a day of requests history: nothing published, the scaler stays reactive";
    int minutes = publication.minutes();
    return new ForecastOutcome(task.endpointName(), task.variantName(),
        task.inferenceComponentName(), store.channel(), false, read.length(), withData,
        saturated, forecast.status().name(), note,
        ForecastOutcome.MethodBand.of(forecast.blends()), 2 * minutes, minutes == 0 ? null : first,
        minutes == 0 ? null : publication.minute(minutes - 1), notes);
  }

  /**
   * The task's timing with the cold start the scaler learned, when that is longer: the forecast
   * then reaches as far as the scaler's floor looks. The policy's timing when none is published or
   * it cannot be read.
   */
  private Timing learnedColdStart(Timing timing, Instant now, List<String> notes) {
    List<SignalPoint> learned;
    try {
      learned = telemetry.read(EnumSet.of(Series.LEARNED_COLD_START), now.minus(Duration.ofDays(1)),
          now.plus(Duration.ofMinutes(1))).get(Series.LEARNED_COLD_START);
    } catch (PortFailure e) {
      notes.add("the scaler's learned cold start could not be read (" + e.getMessage()
          + "): the forecast reaches as far as the policy's cold start needs");
      return timing;
    }
    if (learned.isEmpty()) {
      return timing;
    }
    int minutes = (int) Math.min(Timing.MAX_FORECAST_REACH_MINUTES,
        learned.get(learned.size() - 1).value());
    if (minutes <= timing.coldStartMinutes()) {
      return timing;
    }
    notes.add("the scaler learned a cold start of " + minutes + " minutes (the policy says "
        + timing.coldStartMinutes() + "): the forecast reaches as far as it needs");
    return timing.withColdStartMinutes(minutes);
  }
}
