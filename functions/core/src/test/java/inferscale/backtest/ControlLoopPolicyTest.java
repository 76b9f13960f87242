package inferscale.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.control.ScalerOutcome;
import inferscale.control.Trigger;
import inferscale.decision.Action;
import inferscale.decision.PolicyConfig;
import inferscale.decision.PredictiveFloor;
import inferscale.decision.ReasonCode;
import inferscale.decision.Signal;
import inferscale.decision.Timing;
import inferscale.forecast.Forecast;
import inferscale.forecast.ForecastStatus;
import inferscale.forecast.Forecaster;
import inferscale.forecast.HistoryFingerprint;
import inferscale.forecast.Seasonality;
import inferscale.trace.Trace;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The control steps driven through the simulated endpoint's ports. */
class ControlLoopPolicyTest {
  // Target 1 RPS, capacity 2 RPS; cold start 8 + delay 2: the floor's window is [now + 10, + 18].
  private static final PolicyConfig POLICY = PolicyConfig.defaults().withBounds(1, 100)
      .withTargetRpsPerInstance(1.0).withMaxRpsPerInstance(2.0).withTiming(new Timing(8, 2, 15));

  private final List<ScalerOutcome> outcomes = new ArrayList<>();

  /** Flat forecasts in requests per minute, a different one for each run. */
  private static Forecaster successive(double[][] pointAndUpper) {
    int[] calls = {0};
    return (history, horizon) -> {
      double[] forecast = pointAndUpper[Math.min(calls[0]++, pointAndUpper.length - 1)];
      double[] point = new double[horizon];
      double[] upper = new double[horizon];
      Arrays.fill(point, forecast[0]);
      Arrays.fill(upper, forecast[1]);
      return new Forecast(ForecastStatus.OK, Seasonality.DAILY, point, upper);
    };
  }

  private ControlLoopPolicy policy(Forecaster forecaster) {
    return new ControlLoopPolicy("inferscale", POLICY, List.of(), Instant.EPOCH, forecaster,
        outcomes::add);
  }

  /** Steady demand of {@code perMinute} requests, {@code serving} instances every minute. */
  private static ScriptedView steady(double perMinute, int serving, int minutes) {
    double[] demand = new double[minutes];
    Arrays.fill(demand, perMinute);
    int[] servingEachMinute = new int[minutes];
    Arrays.fill(servingEachMinute, serving);
    ScriptedView view = new ScriptedView(demand, servingEachMinute);
    view.desired = serving;
    view.delay = 2;
    return view;
  }

  private PredictiveFloor floorAt(ControlLoopPolicy policy, ScriptedView view, int minute) {
    view.minute = minute;
    policy.desired(view);
    return outcomes.get(outcomes.size() - 1).decision().predictiveFloor();
  }

  @Test
  void eachSimulatedHistoryKnownByItsFingerprintHasTheValuesTheFingerprintSays() {
    // Three days with a gap: the forecast step's histories reach before the trace and over it.
    double[] requests = new double[3 * 1440];
    for (int m = 0; m < requests.length; m++) {
      requests[m] = m >= 2000 && m < 2100 ? Double.NaN : 100 + m % 60;
    }
    Trace trace = Trace.ofRequests("gapped", requests);
    int[] checked = {0};
    Forecaster checking = new Forecaster() {
      @Override
      public Forecast forecast(double[] history, int horizon) {
        return Forecaster.standard().forecast(history, horizon);
      }

      @Override
      public Forecast forecast(HistoryFingerprint fingerprint, Supplier<double[]> history,
          BitSet saturated, int horizon) {
        double[] values = history.get();
        assertEquals(HistoryFingerprint.of(values), fingerprint);
        checked[0]++;
        return forecast(values, saturated, horizon);
      }
    };
    BacktestParameters parameters = BacktestParameters.defaults();
    new Simulator(trace, parameters, 60).run(new ControlLoopPolicy("inferscale", POLICY,
        List.of(), Instant.EPOCH, checking, outcome -> { }));
    // Every forecast came by the fingerprint: the backtest never built a history it need not.
    assertEquals(requests.length / parameters.timing().forecastIntervalMinutes(), checked[0]);
  }

  @Test
  void minutesTwoForecastsCoverReadAsTheMaximumOfEach() {
    // First run: expected 5 RPS, upper 20; the run 15 minutes later: expected 8, upper 2.
    ControlLoopPolicy policy = policy(successive(new double[][] {{300, 1200}, {480, 120}}));
    ScriptedView view = steady(60, 5, 100);
    PredictiveFloor first = floorAt(policy, view, 30);
    assertEquals(5, first.instances()); // min(20 / 2 at capacity, 5 / 1 at the target)
    PredictiveFloor both = floorAt(policy, view, 45);
    // Both runs cover the window [55, 63]: upper max(20, 2) needs 10 at capacity, expected
    // max(5, 8) needs 8 at the target. The newest alone would give 1, the oldest 5.
    assertEquals(8, both.instances());
    assertEquals(PredictiveFloor.Basis.EXPECTED_AT_TARGET, both.basis());
    assertEquals(8.0, both.peakRps(), 1e-9);
  }

  @Test
  void theForecastStartsRightAfterTheNewestPublishedMinuteAndRunsOnItsInterval() {
    List<double[]> histories = new ArrayList<>();
    Forecaster recording = (history, horizon) -> {
      histories.add(history);
      double[] rising = new double[horizon];
      for (int h = 0; h < horizon; h++) {
        rising[h] = 60.0 * h; // h RPS in the h-th minute forecast
      }
      return new Forecast(ForecastStatus.OK, Seasonality.DAILY, rising, rising);
    };
    ControlLoopPolicy policy = policy(recording);
    double[] demand = new double[100];
    for (int m = 0; m < demand.length; m++) {
      demand[m] = m; // minute m holds m requests: the history's last value names its minute
    }
    ScriptedView view = new ScriptedView(demand, new int[100]);
    view.delay = 2;
    for (int minute = 30; minute < 46; minute++) {
      view.minute = minute;
      policy.desired(view);
    }
    assertEquals(2, histories.size(), "one run at 30, the next 15 minutes later");
    double[] first = histories.get(0);
    assertEquals(Forecaster.MAX_HISTORY_MINUTES, first.length);
    assertEquals(28.0, first[first.length - 1], "at 30 the newest published minute is 28");
    // Index 0 is minute 29, so minute 30 + 18 (the window's end) is index 19: 19 RPS at 2 per
    // instance (upper) or 1 (expected) needs min(10, 19) = 10.
    PredictiveFloor floor = outcomes.get(0).decision().predictiveFloor();
    assertEquals(Instant.EPOCH.plus(Duration.ofMinutes(48)), floor.peakAt());
    assertEquals(10, floor.instances());
  }

  @Test
  void theCooldownCountsFromTheScalersOwnRecordOfScaleOuts() {
    // 4 RPS on 2 instances: scale out at minute 10 (granted warm at once in this script).
    ControlLoopPolicy policy = policy(null);
    ScriptedView view = steady(240, 2, 40);
    view.minute = 10;
    assertEquals(4, policy.desired(view));
    view.desired = 4;
    Arrays.fill(view.serving, 4);
    // Demand drops to 1 RPS: scale-in waits out the 10-minute cooldown from minute 10 ...
    Arrays.fill(view.demand, 11, 40, 60);
    for (int minute = 11; minute < 20; minute++) {
      view.minute = minute;
      assertEquals(4, policy.desired(view), "minute " + minute);
    }
    assertTrue(outcomes.get(outcomes.size() - 1).decision().has(ReasonCode.SCALE_IN_COOLDOWN));
    // ... and a scale-in starts none: the next one is held only by the step and stabilisation.
    view.minute = 32;
    assertEquals(3, policy.desired(view));
    view.desired = 3;
    view.minute = 33;
    policy.desired(view);
    ScalerOutcome next = outcomes.get(outcomes.size() - 1);
    assertEquals(Action.SCALE_IN, next.decision().action(), next.decision().explanation());
  }

  @Test
  void theEndpointIsUpdatingUntilEveryInstanceAskedForServes() {
    ControlLoopPolicy policy = policy(null);
    ScriptedView view = steady(600, 2, 20);
    view.desired = 6; // 4 still starting
    view.minute = 10;
    assertEquals(6, policy.desired(view));
    ScalerOutcome held = outcomes.get(0);
    assertEquals("Updating", held.status());
    assertEquals(List.of(ReasonCode.FORECAST_UNAVAILABLE, ReasonCode.ENDPOINT_NOT_IN_SERVICE),
        held.decision().reasons());
    assertNull(held.decision().predictiveFloor());
  }

  @Test
  void theAlarmOnConcurrencyStartsASecondCycleThatScalesOutWithinTheBurstMinute() {
    // Concurrency 4 per instance at the target of 1 RPS: a latency of 4 s.
    PolicyConfig tracked = POLICY.withTargets(new PolicyConfig.Targets(
        EnumSet.of(Signal.RPS), 1.0, 2.0, 0.75, 2.0, null, 4.0, 0.1, null));
    ControlLoopPolicy policy =
        new ControlLoopPolicy("inferscale", tracked, List.of(), Instant.EPOCH, null,
            outcomes::add);
    ScriptedView view = steady(300, 5, 100); // 5 RPS on 5 instances: at the target
    for (int m = 60; m < 70; m++) {
      view.demand[m] = 900; // 15 RPS from minute 60
    }
    for (int m = 55; m < 60; m++) {
      view.minute = m;
      policy.desired(view);
    }
    assertTrue(outcomes.stream().allMatch(o -> o.trigger() == Trigger.SCHEDULE),
        "no alarm at the target");
    outcomes.clear();

    view.minute = 60;
    int asked = policy.desired(view);

    assertEquals(2, outcomes.size(), "the schedule's cycle, then the alarm's");
    assertEquals(Action.HOLD, outcomes.get(0).decision().action(),
        "the scheduled cycle sees minute 58 (RPS) and 59 (concurrency): nothing yet");
    ScalerOutcome alarm = outcomes.get(1);
    assertEquals(Trigger.ALARM, alarm.trigger());
    // RPS carried into minutes 59 and 60 by the in-flight requests: 5 and 15. The jump is the
    // hour's only change, yet large enough (600 requests a minute, so a noise of √(600² / 2 / 59)
    // = 55, 18 % of the mean) for a 3-minute mean, 5, 5 and 15: at 1 per instance it asks for 9.
    var rps = alarm.decision().signals().get(0);
    assertEquals(Instant.EPOCH.plus(Duration.ofMinutes(60)), rps.newestPoint(), alarm.toJson());
    assertEquals(3, rps.windowMinutes());
    assertEquals(25.0 / 3, rps.value(), 1e-9);
    assertEquals(9, asked);
    assertTrue(alarm.applied());

    outcomes.clear();
    view.minute = 61;
    view.desired = 9;
    policy.desired(view);
    assertEquals(1, outcomes.size(), "the alarm is in ALARM already: no new event");
  }
}
