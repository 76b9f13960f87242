package inferscale.decision;

import static inferscale.decision.Scenario.flat;
import static inferscale.decision.Scenario.minutes;
import static inferscale.decision.Scenario.withInstances;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DecisionEngineTest {

  private static SignalRecommendation signal(Decision decision, Signal signal) {
    return decision.signals().stream().filter(r -> r.signal() == signal).findFirst().orElseThrow();
  }

  @Nested
  class Rule1PerSignalRecommendations {
    @Test
    void rpsUsesTheMeanOfTheLastTwoMinutes() {
      // 7 and 9 RPS average to 8: ceil(8 / 1.0) = 8; the older 30 is outside the window.
      Decision d = withInstances(4).steady().rps(30, 7, 9).decide();
      SignalRecommendation rps = signal(d, Signal.RPS);
      assertEquals(8.0, rps.value());
      assertEquals(8, rps.recommended());
    }

    @Test
    void rpsOverBurstyMinutesIsAveragedLongEnoughForTheNoise() {
      // An hour alternating 1 and 9 RPS: the noise variance is 8² / 2 = 32 RPS², √32 = 113 % of
      // the mean 5, and per-minute counts vary 32 × 60 / 5 = 384 times their mean (Poisson:
      // once). A mean within 10 % would take 1.13² / 0.1² = 128 minutes: the window is the
      // longest allowed, 10 minutes, five at 9 and five at 1: 5 RPS, from 3 instances.
      double[] bursty = alternating(61, 1, 9);
      Decision d = withInstances(3).steady().rps(bursty).decide();
      SignalRecommendation rps = signal(d, Signal.RPS);
      assertEquals(10, rps.windowMinutes());
      assertEquals(5.0, rps.value(), 1e-9);
      assertEquals(5, rps.recommended());
      assertTrue(d.explanation().contains("(mean of 10 minutes, as per-minute demand is bursty)"),
          d.explanation());

      // Noisier than independent arrivals, but only 20 % of the mean a minute (4 and 6 RPS in
      // turn: variance 2, √2 = 28 % of 5): 0.28² / 0.1² = 8 minutes, rounded down.
      Decision noisy = withInstances(5).steady().rps(alternating(61, 4, 6)).decide();
      assertEquals(8, signal(noisy, Signal.RPS).windowMinutes());

      // The same level moving by 0.4 RPS a minute errs by 4 % of the mean: 2 minutes.
      Decision smooth = withInstances(5).steady().rps(alternating(61, 4.8, 5.2)).decide();
      assertEquals(2, signal(smooth, Signal.RPS).windowMinutes());
      assertFalse(smooth.explanation().contains("bursty"), smooth.explanation());

      // Thin traffic, 1.2 and 3.6 requests a minute in turn: a 2-minute mean errs by 50 %, but
      // counts vary no more than independent arrivals' (0.04² / 2 × 60 / 0.04 = 1.2 times the
      // mean).
      Decision thin = withInstances(1).steady().rps(alternating(61, 0.02, 0.06)).decide();
      assertEquals(2, signal(thin, Signal.RPS).windowMinutes());

      // High volume, 90 and 110 RPS in turn: far burstier than independent arrivals (counts vary
      // 200 × 60 / 100 = 120 times the mean), but a 2-minute mean errs by only 10 %: 2 minutes.
      // (√(200 / 2) / 100 = 10 % a minute: 1 minute would do, and the policy's window stays.)
      Decision busy = withInstances(100).steady().rps(alternating(61, 90, 110)).decide();
      assertEquals(2, signal(busy, Signal.RPS).windowMinutes());

      // The bursty hour with every other minute missing: no change from one minute to the next,
      // nothing to judge (a jump across missing minutes is not noise): 2 minutes.
      List<SignalPoint> everyOther = new ArrayList<>();
      for (int i = 0; i < 61; i += 2) {
        everyOther.add(new SignalPoint(Scenario.NOW.minus(Duration.ofMinutes(1 + i)),
            i % 4 == 0 ? 9 : 1));
      }
      everyOther.sort(java.util.Comparator.comparing(SignalPoint::timestamp));
      Decision gappy = withInstances(5).steady()
          .signal(Signal.RPS, new SignalSeries(everyOther)).decide();
      assertEquals(2, signal(gappy, Signal.RPS).windowMinutes());

      // Half an hour of the bursty series (29 changes) is too little to judge: 2 minutes.
      double[] recent = java.util.Arrays.copyOfRange(bursty, 31, 61);
      assertEquals(2, signal(withInstances(5).steady().rps(recent).decide(), Signal.RPS)
          .windowMinutes());
    }

    @Test
    void kvCacheUsesTheMaxOfTheLastTwoMinutesScaledByCurrentCount() {
      // ceil(4 × 0.9 / 0.75) = ceil(4.8) = 5
      Decision d = withInstances(4).steady()
          .signal(Signal.KV_CACHE, minutes(1, 0.2, 0.9, 0.6)).decide();
      assertEquals(0.9, signal(d, Signal.KV_CACHE).value());
      assertEquals(5, signal(d, Signal.KV_CACHE).recommended());
    }

    @Test
    void queueUsesTheMaxOfTheLastTwoMinutesOverTheWaitingTarget() {
      // ceil(13 / 2) = 7
      Decision d = withInstances(4).steady().signal(Signal.QUEUE, minutes(1, 40, 13, 5)).decide();
      assertEquals(13.0, signal(d, Signal.QUEUE).value());
      assertEquals(7, signal(d, Signal.QUEUE).recommended());
    }

    @Test
    void ttftAboveItsSloScalesTheCurrentCountAndWithinItAsksForNothing() {
      PolicyConfig policy = Scenario.ALL_SIGNALS.withBounds(1, 40)
          .withSignals(EnumSet.of(Signal.RPS, Signal.TTFT), 500.0);
      Decision slow = withInstances(4).policy(policy).steady()
          .signal(Signal.TTFT, minutes(1, 700, 900)).decide();
      assertEquals(8, signal(slow, Signal.TTFT).recommended()); // ceil(4 × 900 / 500) = 8
      assertEquals(Signal.TTFT, slow.bindingSignal());

      Decision fast = withInstances(4).policy(policy).steady()
          .signal(Signal.TTFT, minutes(1, 300, 450)).decide();
      assertNull(signal(fast, Signal.TTFT).recommended());
      assertEquals(Action.HOLD, fast.action());
    }

    @Test
    void recommendationExactlyOnAnIntegerIsNotRoundedUpByBinaryNoise() {
      // 0.7 × 3 / 0.7 is 3.0000000000000004 in binary floating point.
      PolicyConfig policy = Scenario.ALL_SIGNALS.withBounds(1, 40).withTargetRpsPerInstance(0.7);
      Decision d = withInstances(3).policy(policy).steady().rps(2.1, 2.1).decide();
      assertEquals(3, signal(d, Signal.RPS).recommended());
    }
  }

  @Nested
  class Rule2Tolerance {
    @Test
    void exactlyAtTenPercentIsWithinTolerance() {
      Decision d = withInstances(10).steady().rps(11, 11).decide();
      assertEquals(11, d.reactive());
      assertEquals(Action.HOLD, d.action());
      assertEquals(ReasonCode.WITHIN_TOLERANCE, d.bindingConstraint());
      assertTrue(d.has(ReasonCode.WITHIN_TOLERANCE));
    }

    @Test
    void justAboveTheBandScalesOut() {
      Decision d = withInstances(10).steady().rps(11.5, 12).decide();
      assertEquals(Action.SCALE_OUT, d.action());
      assertEquals(12, d.to());
    }

    @Test
    void theBandIsMeasuredOnTheRoundedRecommendation() {
      // 18 instances, RPS worth 19.4 of them: 7.8 % more before rounding, but the recommendation
      // is 20, 11 % more, so the engine acts.
      Decision d = withInstances(18).steady().rps(19.4, 19.4).decide();
      assertEquals(20, d.reactive());
      assertEquals(Action.SCALE_OUT, d.action());
      assertEquals(20, d.to());
    }

    @Test
    void oneSignalOutsideTheBandIsEnoughToAct() {
      Decision d = withInstances(10).steady().rps(10, 10)
          .signal(Signal.QUEUE, minutes(1, 0, 30)).decide();
      assertEquals(15, d.to());
      assertEquals(Signal.QUEUE, d.bindingSignal());
    }
  }

  @Nested
  class Rule3ReactiveAndFloors {
    @Test
    void reactiveIsTheMaximumOverFreshSignals() {
      Decision d = withInstances(4).steady().rps(5, 6)
          .signal(Signal.KV_CACHE, minutes(1, 0.5, 1.0)).decide();
      // rps → 6, kv → ceil(4 × 1.0 / 0.75) = 6, queue → 0
      assertEquals(6, d.reactive());
      assertEquals(6, d.to());
    }

    @Test
    void predictiveFloorRaisesTheTargetAndExplainsTheForecast() {
      Decision d = withInstances(4).steady().predictiveFloor(7).decide();
      assertEquals(7, d.to());
      assertEquals(ReasonCode.PREDICTIVE_FLOOR, d.bindingConstraint());
      assertTrue(d.has(ReasonCode.PREDICTIVE_FLOOR));
      assertTrue(d.explanation().contains("forecast peak"), d.explanation());
    }

    @Test
    void scheduledFloorRaisesTheTarget() {
      Decision d = withInstances(4).steady().predictiveFloor(5).scheduledFloor(6).decide();
      assertEquals(6, d.to());
      assertEquals(ReasonCode.SCHEDULED_FLOOR, d.bindingConstraint());
    }

    @Test
    void minimumRaisesTheTarget() {
      Decision d = withInstances(2).policy(Scenario.ALL_SIGNALS.withBounds(3, 10))
          .steady().decide();
      assertEquals(3, d.to());
      assertEquals(ReasonCode.MIN_INSTANCES, d.bindingConstraint());
      assertTrue(d.has(ReasonCode.MIN_INSTANCES));
    }

    @Test
    void targetIsClampedToTheMaximum() {
      Decision d = withInstances(8).policy(Scenario.ALL_SIGNALS.withBounds(1, 10))
          .steady().rps(20, 20).decide();
      assertEquals(10, d.to());
      assertEquals(ReasonCode.MAX_INSTANCES, d.bindingConstraint());
      assertTrue(d.has(ReasonCode.MAX_INSTANCES));
    }

    @Test
    void atTheMaximumAlreadyItHolds() {
      Decision d = withInstances(10).policy(Scenario.ALL_SIGNALS.withBounds(1, 10))
          .steady().rps(15, 15).decide();
      assertEquals(Action.HOLD, d.action());
      assertEquals(10, d.to());
      assertEquals(ReasonCode.MAX_INSTANCES, d.bindingConstraint());
    }

    @Test
    void aCurrentCountAboveALoweredMaximumComesDownToIt() {
      Decision d = withInstances(14).policy(Scenario.ALL_SIGNALS.withBounds(1, 10))
          .steady().decide();
      assertEquals(Action.SCALE_IN, d.action());
      assertEquals(10, d.to());
    }
  }

  @Nested
  class Rule4ScaleOutLimitsAndPanic {
    @Test
    void scaleOutAddsAtMostFourOrDoubleWhicheverIsMore() {
      // 3 instances, needs 11 (RPS 10.5, below panic at 2 × 3 = 6? no: 10.5 > 6 is panic),
      // so use KV to ask for more without panic.
      Decision small = withInstances(3).steady()
          .signal(Signal.KV_CACHE, minutes(1, 1.0, 1.0)).signal(Signal.QUEUE, minutes(1, 22, 22))
          .decide();
      assertEquals(7, small.to()); // needs 11; +max(3, 4) = +4
      assertEquals(ReasonCode.SCALE_OUT_RATE_LIMITED, small.bindingConstraint());
      assertTrue(small.has(ReasonCode.SCALE_OUT_RATE_LIMITED));

      Decision large = withInstances(10).steady().signal(Signal.QUEUE, minutes(1, 60, 60)).decide();
      assertEquals(20, large.to()); // needs 30; +max(10, 4) = +10
    }

    @Test
    void aScheduleIsAskedForWholeAndOnlyWhatGoesBeyondItIsStepped() {
      // 3 instances; +max(3, 4) = +4 would give 7, a cold start short of the schedule's 20.
      Decision d = withInstances(3).steady().scheduledFloor(20).decide();
      assertEquals(20, d.to());
      assertEquals(ReasonCode.SCHEDULED_FLOOR, d.bindingConstraint());
      assertFalse(d.has(ReasonCode.SCALE_OUT_RATE_LIMITED));

      // The forecast asks for 40: the schedule's 20 whole, nothing beyond it this cycle.
      Decision beyond = withInstances(3).steady().scheduledFloor(20).predictiveFloor(40).decide();
      assertEquals(20, beyond.to());
      assertEquals(ReasonCode.SCALE_OUT_RATE_LIMITED, beyond.bindingConstraint());
      assertTrue(beyond.explanation().contains("limited to the schedule's 20"),
          beyond.explanation());

      // A schedule below the step changes nothing: the step still limits.
      Decision small = withInstances(3).steady().scheduledFloor(5).predictiveFloor(40).decide();
      assertEquals(7, small.to());
      assertTrue(small.explanation().contains("limited to +4 per cycle"), small.explanation());
    }

    @Test
    void panicGoesStraightToTheRequirement() {
      // 3 instances at 1 RPS each; 12 RPS is 4× capacity: panic.
      Decision d = withInstances(3).steady().rps(12, 12).decide();
      assertEquals(12, d.to());
      assertTrue(d.has(ReasonCode.PANIC_MODE));
      assertFalse(d.has(ReasonCode.SCALE_OUT_RATE_LIMITED));
    }

    @Test
    void aLoneBusyMinuteGetsTheNormalStepNotPanic() {
      // 3 instances; the newest minute at 30 RPS (10× capacity), the one before at 2: the window
      // mean of 16 asks for 16, but only one minute was over 2×, so the step limit holds (+4).
      Decision d = withInstances(3).steady().rps(2, 2, 30).decide();
      assertEquals(Action.SCALE_OUT, d.action());
      assertEquals(7, d.to());
      assertFalse(d.has(ReasonCode.PANIC_MODE));
      assertTrue(d.has(ReasonCode.SCALE_OUT_RATE_LIMITED));

      // A missing minute is not a minute over the threshold.
      Decision afterAGap = withInstances(3).steady().signal(Signal.RPS, new SignalSeries(List.of(
          new SignalPoint(Scenario.NOW.minus(Duration.ofMinutes(3)), 2),
          new SignalPoint(Scenario.NOW.minus(Duration.ofMinutes(1)), 30)))).decide();
      assertFalse(afterAGap.has(ReasonCode.PANIC_MODE));
      assertEquals(7, afterAGap.to());

      Decision sustained = withInstances(3).steady().rps(2, 30, 30).decide();
      assertEquals(30, sustained.to());
      assertTrue(sustained.has(ReasonCode.PANIC_MODE));
      assertTrue(sustained.explanation().contains("in each of the last 2 minutes"),
          sustained.explanation());
    }

    @Test
    void panicOnABurstyLevelIsSizedOnThePolicysWindowNotTheNoiseWindow() {
      // The bursty hour of 1 and 9 RPS (a 10-minute noise window) on 5 instances, then two
      // minutes at 30 RPS, each over 2 × 5: panic. Averaged with the eight calm minutes before
      // the jump it would ask for 10; the policy's two minutes ask for what the jump needs.
      double[] rps = alternating(61, 1, 9);
      rps[59] = 30;
      rps[60] = 30;
      Decision d = withInstances(5).steady().rps(rps).decide();
      assertTrue(d.has(ReasonCode.PANIC_MODE), d.reasons().toString());
      assertEquals(2, signal(d, Signal.RPS).windowMinutes());
      assertEquals(30, d.to());
      assertFalse(d.explanation().contains("bursty"), d.explanation());
    }

    @Test
    void aJumpFarBeyondASmoothHoursNoiseIsALevelShiftSizedOnItsMinute() {
      // An hour of 20 RPS give or take 0.2 on 20 instances: 1200 requests a minute, whose noise
      // is at least Poisson's, √1200 = 35 (2.9 % of the mean). Then a minute at 50: over 2 × 20
      // and 52 times that noise. It is panic at once, sized on that minute alone; a 2-minute mean
      // with the calm minute (20.2) would ask for 36.
      double[] rps = smoothHourThen(50);
      Decision d = onTwentyInstances(Scenario.minutes(1, rps));
      assertTrue(d.has(ReasonCode.PANIC_MODE), d.reasons().toString());
      assertEquals(1, signal(d, Signal.RPS).windowMinutes());
      assertEquals(50, d.to());
      assertTrue(d.explanation().contains("RPS jumped to 50 in the newest minute, over 2× the"
          + " current capacity, by more than 8 times the last hour's noise: a level shift"),
          d.explanation());

      // Not over the panic threshold (35 RPS on 20): the normal 2-minute mean, 27.5.
      Decision below = onTwentyInstances(Scenario.minutes(1, smoothHourThen(35)));
      assertFalse(below.has(ReasonCode.PANIC_MODE), below.reasons().toString());
      assertEquals(28, below.to());
    }

    @Test
    void noLevelShiftWithoutACountedMinuteJumpingFromTheOneBefore() {
      List<SignalPoint> points = new ArrayList<>(Scenario.minutes(1, smoothHourThen(50)).points());
      SignalPoint newest = points.get(points.size() - 1);
      // Carried from the requests in flight (the fast path): a few long requests look the same.
      points.set(points.size() - 1, new SignalPoint(newest.timestamp(), newest.value(), true));
      Decision carried = onTwentyInstances(new SignalSeries(points));
      assertFalse(carried.has(ReasonCode.PANIC_MODE), carried.reasons().toString());
      assertEquals(36, carried.to());

      // After a missing minute the jump is not from the minute before.
      points.set(points.size() - 1, newest);
      points.remove(points.size() - 2);
      Decision afterAGap = onTwentyInstances(new SignalSeries(points));
      assertFalse(afterAGap.has(ReasonCode.PANIC_MODE), afterAGap.reasons().toString());
    }

    @Test
    void aRampIsNoLevelShift() {
      // The smooth hour, then 39 and 41 RPS: each minute climbs 2 RPS, 120 requests, well within
      // 8 times the hour's noise (the climb to 39 in it); 39 is not over 2 × 20, so no panic.
      double[] rps = smoothHourThen(41);
      rps[rps.length - 2] = 39;
      Decision d = onTwentyInstances(Scenario.minutes(1, rps));
      assertFalse(d.has(ReasonCode.PANIC_MODE), d.reasons().toString());
      assertEquals(2, signal(d, Signal.RPS).windowMinutes());
    }

    @Test
    void onNoisyOrThinTrafficTheJumpIsNoLevelShift() {
      // An hour of 17 and 23 RPS in turn: noise 255 requests a minute, 21 % of the mean (bursty
      // traffic, where such a minute is as often a batch job over within minutes). A minute at 60
      // jumps 37 RPS, 8.7 times that noise and over 2 × 20, yet waits for panic's two minutes:
      // the step limit holds.
      double[] noisy = alternating(62, 23, 17);
      noisy[61] = 60;
      Decision d = onTwentyInstances(Scenario.minutes(1, noisy));
      assertFalse(d.has(ReasonCode.PANIC_MODE), d.reasons().toString());
      assertTrue(d.to() <= 40, d.toString());

      // A canary's steady 30 requests a minute is as noisy as Poisson arrivals (18 % of the
      // mean), however steady it was: 3 RPS on its one instance is no level shift, and the jump
      // makes the hour bursty, so the 10-minute mean, 0.75, holds the one instance.
      double[] thin = new double[62];
      Arrays.fill(thin, 0.5);
      thin[61] = 3;
      Decision canary = withInstances(1).policy(Scenario.ALL_SIGNALS.withBounds(1, 80)).steady()
          .rps(thin).decide();
      assertFalse(canary.has(ReasonCode.PANIC_MODE), canary.reasons().toString());
      assertEquals(1, canary.to());
    }

    /** An hour of 20 RPS give or take 0.2, oldest first, then a minute at {@code newest}. */
    private double[] smoothHourThen(double newest) {
      double[] rps = alternating(62, 20.2, 19.8);
      rps[61] = newest;
      return rps;
    }

    private Decision onTwentyInstances(SignalSeries rps) {
      return withInstances(20).policy(Scenario.ALL_SIGNALS.withBounds(1, 80)).steady()
          .signal(Signal.RPS, rps).decide();
    }

    @Test
    void aLoneBusyMinuteDoesNotHoldScaleIn() {
      // As scaleInIsBlockedWithinTheHoldAfterPanic, but the 40-RPS minute stands alone.
      double[] rps = lowWithTwoMinutesAt(40, 7);
      rps[8] = 2;
      PolicyConfig policy = Scenario.ALL_SIGNALS.withBounds(1, 40);
      Decision d = withInstances(8).policy(policy).steady()
          .signal(Signal.KV_CACHE, flat(0.1, 15)).rps(rps).decide();
      assertFalse(d.has(ReasonCode.SCALE_IN_PANIC_HOLD), d.reasons().toString());
      // What holds it instead: the busy minute is within the stabilisation window.
      assertTrue(d.has(ReasonCode.SCALE_IN_STABILISING), d.reasons().toString());
    }

    @Test
    void panicThresholdIsStrict() {
      // exactly 2× capacity (8 RPS on 4 instances) is not panic: +4 allowed, 8 reached anyway;
      // with 3 instances exactly 6 RPS is not panic either and is rate limited to +4 = 7 ≥ 6.
      Decision d = withInstances(4).steady().rps(8, 8).decide();
      assertFalse(d.has(ReasonCode.PANIC_MODE));
      assertEquals(8, d.to());
    }

    @Test
    void panicStillRespectsTheMaximum() {
      Decision d = withInstances(2).policy(Scenario.ALL_SIGNALS.withBounds(1, 10))
          .steady().rps(50, 50).decide();
      assertEquals(10, d.to());
      assertTrue(d.has(ReasonCode.PANIC_MODE));
    }

    @Test
    void scaleFromZeroIsPanic() {
      Decision d = withInstances(0).policy(Scenario.ALL_SIGNALS.withBounds(0, 40))
          .steady().rps(9, 9).decide();
      assertEquals(9, d.to());
      assertTrue(d.has(ReasonCode.PANIC_MODE));
    }

    @Test
    void scaleInIsBlockedWithinTheHoldAfterPanic() {
      // Panic-level RPS 6 minutes ago (40 RPS on 8 instances is 5×), low now; no recent change.
      double[] rps = lowWithTwoMinutesAt(40, 7);
      PolicyConfig policy = Scenario.ALL_SIGNALS.withBounds(1, 40);
      Decision d = withInstances(8).policy(policy).steady()
          .signal(Signal.KV_CACHE, flat(0.1, 15)).rps(rps).decide();
      assertEquals(Action.HOLD, d.action());
      assertTrue(d.has(ReasonCode.SCALE_IN_PANIC_HOLD), d.reasons().toString());
    }
  }

  @Nested
  class Rule5ScaleIn {
    private Scenario quiet(int current) {
      return withInstances(current).steady()
          .signal(Signal.KV_CACHE, flat(0.1, 15))
          .signal(Signal.RPS, flat(2, 15));
    }

    @Test
    void scaleInStepsDownByTenPercentOrOne() {
      Decision ten = quiet(10).decide();
      assertEquals(Action.SCALE_IN, ten.action());
      assertEquals(9, ten.to());
      assertTrue(ten.has(ReasonCode.SCALE_IN_RATE_LIMITED));

      Decision thirty = quiet(30).decide();
      assertEquals(27, thirty.to());

      Decision three = quiet(3).decide();
      assertEquals(2, three.to());
      assertEquals(Signal.RPS, three.bindingSignal());
    }

    @Test
    void stabilisationWindowKeepsTheHighestRecentNeed() {
      // Need was 9 six minutes ago, now 2: go no lower than 9 (which is within tolerance of 10).
      double[] rps = lowWithTwoMinutesAt(9, 8);
      Decision d = quiet(10).rps(rps).decide();
      assertEquals(Action.HOLD, d.action());
      assertTrue(d.has(ReasonCode.SCALE_IN_STABILISING));
      assertEquals(9, signal(d, Signal.RPS).stabilisedRecommended());
    }

    @Test
    void aForecastReachingNowStandsInForTheStabilisationWindow() {
      // The same recent need of 9 as above, but a forecast covers now to the end of the window:
      // scale-in follows what it keeps (5) and today's need (2), not the past 9, a step at a time.
      double[] rps = lowWithTwoMinutesAt(9, 8);
      Decision d = quiet(10).rps(rps).predictiveFloor(5, 5).decide();
      assertEquals(Action.SCALE_IN, d.action());
      assertEquals(9, d.to());
      assertTrue(d.has(ReasonCode.SCALE_IN_FORECAST_COVERED));
      assertFalse(d.has(ReasonCode.SCALE_IN_STABILISING));
      assertTrue(d.explanation().contains("needs 5 at 1 per instance, ready within the 10-minute"
          + " lead; the forecast needs no more before an instance removed now could serve again"),
          d.explanation());

      Decision atFloor = quiet(6).rps(rps).predictiveFloor(5, 5).decide();
      assertEquals(5, atFloor.to());
      assertEquals(ReasonCode.PREDICTIVE_FLOOR, atFloor.bindingConstraint());
    }

    @Test
    void scaleInKeepsWhatTheForecastNeedsBeforeARemovedInstanceCouldServeAgain() {
      // The floor's window (10+ minutes ahead) needs 3, but the next minutes need 7.
      Decision d = quiet(8).predictiveFloor(3, 7).decide();
      assertEquals(7, d.to());
      assertEquals(ReasonCode.SCALE_IN_FORECAST_COVERED, d.bindingConstraint());
      assertTrue(d.explanation().contains("the forecast needs 7 before an instance removed now"),
          d.explanation());

      Decision kept = quiet(10).predictiveFloor(3, 10).decide();
      assertEquals(Action.HOLD, kept.action());
      assertEquals(ReasonCode.SCALE_IN_FORECAST_COVERED, kept.bindingConstraint());
      assertTrue(kept.has(ReasonCode.SCALE_IN_FORECAST_COVERED));
      assertEquals(Action.HOLD, quiet(10).predictiveFloor(3, 9).decide().action()); // within 10 %
    }

    @Test
    void whatTheForecastKeepsStopsAtThePolicyMaximum() {
      Decision d = quiet(45).policy(Scenario.ALL_SIGNALS.withBounds(1, 40))
          .predictiveFloor(3, 50).decide();
      assertEquals(Action.SCALE_IN, d.action());
      assertEquals(41, d.to());
    }

    @Test
    void aHoldTheForecastDidNotCauseIsNotBlamedOnIt() {
      // A schedule asks for 9 of 10, within the band; the forecast keeps only 5.
      Decision d = quiet(10).scheduledFloor(9).predictiveFloor(3, 5).decide();
      assertEquals(Action.HOLD, d.action());
      assertEquals(ReasonCode.WITHIN_TOLERANCE, d.bindingConstraint());
      assertTrue(d.has(ReasonCode.WITHIN_TOLERANCE));
      assertFalse(d.has(ReasonCode.SCALE_IN_FORECAST_COVERED));
      assertFalse(d.explanation().contains("forecast needs"), d.explanation());
    }

    @Test
    void aForecastThatStartsLaterLeavesTheStabilisationWindowOn() {
      double[] rps = lowWithTwoMinutesAt(9, 8);
      Decision d = quiet(10).rps(rps).predictiveFloor(5).decide();
      assertEquals(Action.HOLD, d.action());
      assertTrue(d.has(ReasonCode.SCALE_IN_STABILISING));
    }

    @Test
    void aForecastDoesNotLiftTheCooldownOrTheDoubtfulSignalBlock() {
      Decision cooling = quiet(10).predictiveFloor(2, 2).lastModifiedMinutesAgo(9).decide();
      assertEquals(Action.HOLD, cooling.action());
      assertTrue(cooling.has(ReasonCode.SCALE_IN_COOLDOWN));

      Decision doubtful = quiet(10).predictiveFloor(2, 2)
          .signal(Signal.QUEUE, SignalSeries.empty()).decide();
      assertEquals(Action.HOLD, doubtful.action());
      assertTrue(doubtful.has(ReasonCode.SCALE_IN_BLOCKED_SIGNALS_DOUBTFUL));
    }

    @Test
    void needOutsideTheStabilisationWindowNoLongerCounts() {
      double[] rps = lowWithTwoMinutesAt(9, 0); // 15 minutes ago
      Decision d = quiet(4).rps(rps).decide();
      assertEquals(3, d.to());
    }

    @Test
    void noScaleInWithinTheCooldownAfterAChange() {
      Decision within = quiet(10).lastModifiedMinutesAgo(9).decide();
      assertEquals(Action.HOLD, within.action());
      assertTrue(within.has(ReasonCode.SCALE_IN_COOLDOWN));
      assertEquals(ReasonCode.SCALE_IN_COOLDOWN, within.bindingConstraint());

      Decision after = quiet(10).lastModifiedMinutesAgo(10).decide();
      assertEquals(Action.SCALE_IN, after.action());
    }

    @Test
    void cooldownDoesNotDelayAScaleOut() {
      Decision d = withInstances(4).steady().rps(7, 7).lastModifiedMinutesAgo(1).decide();
      assertEquals(Action.SCALE_OUT, d.action());
    }

    @Test
    void scaleInNeverGoesBelowTheMinimumOrAFloor() {
      Decision min = quiet(4).policy(Scenario.ALL_SIGNALS.withBounds(4, 40)).decide();
      assertEquals(Action.HOLD, min.action());

      Decision floor = quiet(6).scheduledFloor(6).decide();
      assertEquals(Action.HOLD, floor.action());
    }
  }

  @Nested
  class Rule6FailSafe {
    @Test
    void aSignalFiveMinutesOldIsFreshAndSixIsStale() {
      Decision five = withInstances(4).steady().signal(Signal.RPS, minutes(5, 4, 4)).decide();
      assertEquals(Freshness.FRESH, signal(five, Signal.RPS).freshness());

      Decision six = withInstances(4).steady().signal(Signal.RPS, minutes(6, 4, 4)).decide();
      assertEquals(Freshness.STALE, signal(six, Signal.RPS).freshness());
      assertTrue(six.has(ReasonCode.SIGNAL_STALE));
      assertNull(signal(six, Signal.RPS).recommended());
    }

    @Test
    void aStaleSignalBlocksScaleIn() {
      Decision d = withInstances(10).steady()
          .signal(Signal.RPS, minutes(6, 1, 1)) // stale, and would ask for 1
          .signal(Signal.KV_CACHE, flat(0.1, 15)).decide();
      assertEquals(Action.HOLD, d.action());
      assertTrue(d.has(ReasonCode.SCALE_IN_BLOCKED_SIGNALS_DOUBTFUL));
      assertEquals(ReasonCode.SCALE_IN_BLOCKED_SIGNALS_DOUBTFUL, d.bindingConstraint());
    }

    @Test
    void aMissingSignalBlocksScaleInButNotScaleOut() {
      Scenario base = withInstances(10).steady().signal(Signal.QUEUE, SignalSeries.empty());
      Decision in = base.signal(Signal.KV_CACHE, flat(0.1, 15)).rps(1, 1).decide();
      assertEquals(Action.HOLD, in.action());
      assertTrue(in.has(ReasonCode.SIGNAL_MISSING));

      Decision out = withInstances(10).steady().signal(Signal.QUEUE, SignalSeries.empty())
          .rps(15, 15).decide();
      assertEquals(Action.SCALE_OUT, out.action());
    }

    @Test
    void byDefaultOnlyRpsIsTrackedSoUnpublishedContainerMetricsDoNotBlockScaleIn() {
      Decision d = withInstances(10).policy(PolicyConfig.defaults().withBounds(1, 40))
          .signal(Signal.RPS, flat(2, 15)).decide();
      assertEquals(List.of(Signal.RPS), d.signals().stream().map(r -> r.signal()).toList());
      assertEquals(Action.SCALE_IN, d.action());
    }

    @Test
    void noFreshSignalHoldsWithMetricsMissing() {
      Decision d = withInstances(4).decide();
      assertEquals(Action.HOLD, d.action());
      assertTrue(d.has(ReasonCode.METRICS_MISSING));
      assertEquals(ReasonCode.METRICS_MISSING, d.bindingConstraint());
      assertNull(d.reactive());
    }

    @Test
    void withoutMetricsAFloorAboveTheCurrentCountIsStillHonoured() {
      Decision d = withInstances(2).scheduledFloor(5).decide();
      assertEquals(5, d.to());
      assertTrue(d.has(ReasonCode.METRICS_MISSING));
      assertTrue(d.has(ReasonCode.SCHEDULED_FLOOR));
    }

    @Test
    void futureAndInvalidPointsAreIgnored() {
      SignalSeries series = new SignalSeries(List.of(
          new SignalPoint(Scenario.NOW.minusSeconds(60), 4),
          new SignalPoint(Scenario.NOW.minusSeconds(120), Double.NaN),
          new SignalPoint(Scenario.NOW.minusSeconds(180), -50),
          new SignalPoint(Scenario.NOW.plusSeconds(600), 400)));
      Decision d = withInstances(4).steady().signal(Signal.RPS, series).decide();
      assertEquals(4.0, signal(d, Signal.RPS).value());
    }

    @Test
    void anEndpointNotInServiceHoldsWhateverTheSignals() {
      for (String status : List.of("Updating", "Creating", "SystemUpdating", "RollingBack",
          "Failed", "Deleting", "OutOfService")) {
        Decision d = withInstances(4).steady().rps(40, 40).status(status).decide();
        assertEquals(Action.HOLD, d.action(), status);
        assertEquals(4, d.to());
        assertTrue(d.has(ReasonCode.ENDPOINT_NOT_IN_SERVICE));
        assertTrue(d.explanation().contains(status), d.explanation());
      }
    }
  }

  @Nested
  class Rule7Capacity {
    @Test
    void scaleOutIsClampedToTheHeadroom() {
      Decision d = withInstances(4).steady().rps(7, 7).headroom(1).decide();
      assertEquals(5, d.to());
      assertEquals(ReasonCode.CAPACITY_LIMITED, d.bindingConstraint());
      assertTrue(d.has(ReasonCode.CAPACITY_LIMITED));
    }

    @Test
    void noHeadroomHoldsAndSaysWhy() {
      Decision d = withInstances(4).steady().rps(7, 7).headroom(0).decide();
      assertEquals(Action.HOLD, d.action());
      assertTrue(d.has(ReasonCode.CAPACITY_LIMITED));
      assertTrue(d.explanation().startsWith("Hold llm-prod/AllTraffic at 4 instances"),
          d.explanation());
    }

    @Test
    void enoughHeadroomChangesNothingAndUnknownHeadroomDoesNotClamp() {
      assertEquals(7, withInstances(4).steady().rps(7, 7).headroom(3).decide().to());
      assertEquals(7, withInstances(4).steady().rps(7, 7).headroom(null).decide().to());
    }
  }

  @Nested
  class InvalidPolicy {
    @Test
    void nothingIsDecidedOnAnInvalidPolicy() {
      PolicyConfig bad = Scenario.ALL_SIGNALS.withBounds(5, 2);
      InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
          () -> withInstances(4).steady().policy(bad).decide());
      assertTrue(e.getMessage().contains(
          "bounds.maxInstances (2) must be ≥ bounds.minInstances (5)"),
          e.getMessage());
    }
  }

  /** {@code minutes} values, oldest first, alternating between two, ending on {@code last}. */
  private static double[] alternating(int minutes, double other, double last) {
    double[] values = new double[minutes];
    for (int i = 0; i < minutes; i++) {
      values[i] = (minutes - 1 - i) % 2 == 0 ? last : other;
    }
    return values;
  }

  /** 15 minutes of RPS 2, oldest first, except {@code value} in minutes {@code first} and next. */
  private static double[] lowWithTwoMinutesAt(double value, int first) {
    double[] rps = new double[15];
    java.util.Arrays.fill(rps, 2);
    rps[first] = value;
    rps[first + 1] = value;
    return rps;
  }
}
