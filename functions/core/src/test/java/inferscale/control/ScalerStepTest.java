package inferscale.control;

import static inferscale.control.FakePorts.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.control.ScalerOutcome.NotApplied;
import inferscale.decision.Action;
import inferscale.decision.EndpointSnapshot;
import inferscale.decision.PolicyConfig;
import inferscale.decision.ReasonCode;
import inferscale.decision.Signal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScalerStepTest {
  /** RPS alone at 2 per instance, 1..20 instances, panic only at 10× capacity. */
  private static final PolicyConfig POLICY = withoutPanic(
      PolicyConfig.defaults().withBounds(1, 20).withTargetRpsPerInstance(2.0));

  private static PolicyConfig withoutPanic(PolicyConfig policy) {
    return new PolicyConfig(policy.bounds(), policy.targets(), policy.freshness(),
        new PolicyConfig.ScaleOutRules(100, 4, 10), policy.scaleIn(), policy.timing(),
        policy.budget(), policy.fallback());
  }

  private final FakePorts ports = new FakePorts();

  private ScalerOutcome run(PolicyConfig policy, CapacityMode capacity, boolean dryRun) {
    return run(policy, capacity, dryRun, NOW, ChronoUnit.FOREVER.getDuration());
  }

  private ScalerOutcome run(PolicyConfig policy, CapacityMode capacity, boolean dryRun,
      Instant at, Duration timeLeft) {
    return new ScalerStep(ports, ports, ports, ports, ports.clock(at)).run(
        new ScalerTask("llm", "AllTraffic", policy, List.of(), capacity, dryRun, Trigger.SCHEDULE), () -> timeLeft);
  }

  private ScalerOutcome run() {
    return run(POLICY, CapacityMode.NONE, false);
  }

  @Test
  void requestsCountedPerMinuteAreTheRpsSignal() {
    ports.requests(600); // 10 RPS at 2 per instance: 5
    ScalerOutcome outcome = run();
    assertEquals(10.0, outcome.decision().signals().get(0).value(), 1e-9);
    assertEquals(5, outcome.decision().to());
    assertTrue(outcome.applied());
    assertEquals(List.of(5), ports.updates);
    assertEquals(List.of(outcome), ports.recorded, "every cycle is recorded, once");
    assertTrue(outcome.scaleOutApplied());
  }

  @Test
  void aScaleOutNotAppliedIsNoScaleOutInTheRecord() {
    ports.requests(600);
    ScalerOutcome dryRun = run(POLICY, CapacityMode.NONE, true);
    assertEquals(List.of(dryRun), ports.recorded);
    assertFalse(dryRun.scaleOutApplied());
  }

  @Test
  void oneReadCoversTheHistoryTheEngineNeedsThroughTheFloorsLastMinute() {
    ports.requests(480);
    run();
    assertEquals(1, ports.reads.size());
    Object[] read = ports.reads.get(0);
    assertEquals(EnumSet.of(Series.REQUESTS, Series.FORECAST_UPPER_RPS,
        Series.FORECAST_EXPECTED_RPS, Series.SCALE_OUTS, Series.CONCURRENT_REQUESTS,
        Series.LEARNED_COLD_START, Series.LEAD_UPDATES), read[0]);
    assertEquals(NOW.minus(Duration.ofMinutes(65)), read[1]); // the hour of noise + staleness
    // Through the furthest minute a forecast reaches: the lead is known only after the read.
    assertEquals(NOW.plus(Duration.ofMinutes(121)), read[2]);

    PolicyConfig allSignals = POLICY.withSignals(Set.of(Signal.RPS, Signal.KV_CACHE), null);
    run(allSignals.withScaleIn(new PolicyConfig.ScaleInRules(10, 1, 10, 200, 10)),
        CapacityMode.NONE, false);
    assertTrue(((Set<?>) ports.reads.get(1)[0]).contains(Series.KV_CACHE_USAGE));
    assertEquals(NOW.minus(Duration.ofMinutes(200)), ports.reads.get(1)[1], "the cooldown");
    run(POLICY.withScaleIn(new PolicyConfig.ScaleInRules(10, 1, 10, 5000, 10)),
        CapacityMode.NONE, false);
    assertEquals(NOW.minus(Duration.ofDays(1)), ports.reads.get(2)[1], "at most a day");
  }

  @Test
  void theNewestMinuteOfRequestsBeforeNowIsTheDemandWhicheverSignalsAreTracked() {
    // Queue alone is tracked, so the requests are read for the demand only; NOW's own minute is
    // the cycle's, not yet seen.
    ports.minutes(Series.REQUESTS, 0, 300, 420, 999);
    PolicyConfig queueOnly = POLICY.withSignals(Set.of(Signal.QUEUE), null);
    ScalerOutcome outcome = run(queueOnly, CapacityMode.NONE, true);
    assertTrue(((Set<?>) ports.reads.get(0)[0]).contains(Series.REQUESTS));
    assertEquals(new ObservedDemand(NOW.minus(Duration.ofMinutes(1)), 420, null),
        outcome.demand());

    // What an instance serves, per minute like the requests: 3 per second is 180 a minute.
    ScalerOutcome withCapacity = run(queueOnly.withMaxRpsPerInstance(3.0), CapacityMode.NONE,
        true);
    assertEquals(180.0, withCapacity.demand().capacityPerInstance(), 1e-9);

    ports.series.remove(Series.REQUESTS);
    assertNull(run(queueOnly, CapacityMode.NONE, true).demand(), "no requests seen");
  }

  @Test
  void aCycleDecidesForTheWholeMinuteItRunsIn() {
    ports.requests(600);
    ScalerOutcome outcome = run(POLICY, CapacityMode.NONE, false, NOW.plusSeconds(37),
        ChronoUnit.FOREVER.getDuration());
    assertEquals(NOW, outcome.decision().at());
    assertEquals(NOW.minus(Duration.ofMinutes(65)), ports.reads.get(0)[1]);
  }

  @Test
  void theForecastFromThisMinuteOnIsTheFloorAndItsSummary() {
    ports.requests(240); // 4 RPS: 2 instances now
    double[] upper = new double[24];
    java.util.Arrays.fill(upper, 20); // 20 RPS from now on: 10 instances
    ports.minutes(Series.FORECAST_UPPER_RPS, -23, upper);
    ScalerOutcome outcome = run();
    assertEquals(10, outcome.decision().predictiveFloor().instances());
    assertTrue(outcome.decision().has(ReasonCode.PREDICTIVE_FLOOR));
    assertEquals(8, outcome.decision().to()); // 4 + the step
    assertEquals(23, outcome.forecast().points()); // from now through the window's last minute
    assertTrue(outcome.forecast().usedAsFloor());
    assertEquals("TEST", outcome.forecast().channel());
  }

  @Test
  void withoutAForecastTheDecisionSaysItIsReactiveOnly() {
    ports.requests(240);
    ScalerOutcome outcome = run();
    assertTrue(outcome.decision().has(ReasonCode.FORECAST_UNAVAILABLE));
    assertEquals("no forecast published on the TEST channel: reactive only",
        outcome.forecast().note());
  }

  @Test
  void theCooldownCountsFromTheScalersOwnRecordOfScaleOuts() {
    ports.requests(120); // 2 RPS: 1 instance wanted, 4 serving
    ports.minutes(Series.SCALE_OUTS, 5, 1); // scaled out 5 minutes ago
    ScalerOutcome held = run();
    assertEquals(Action.HOLD, held.decision().action());
    assertEquals(ReasonCode.SCALE_IN_COOLDOWN, held.decision().bindingConstraint());
    assertTrue(held.decision().explanation().contains("scaled out less than 10 minutes ago"),
        held.decision().explanation());

    ports.series.remove(Series.SCALE_OUTS); // none in the read: none for at least the cooldown
    assertEquals(Action.SCALE_IN, run().decision().action());
  }

  @Test
  void aFailedCapacityLookupLeavesScaleOutUnclampedAndSaysWhy() {
    ports.requests(1200); // 20 RPS: 10 instances
    ports.capacityFailure = new PortFailure(FailureReason.AWS_REJECTED, "denied", null);
    ScalerOutcome outcome = run(POLICY, CapacityMode.RESERVATIONS, false);
    assertTrue(outcome.decision().has(ReasonCode.CAPACITY_UNKNOWN));
    assertNull(outcome.capacity().headroom());
    assertEquals(List.of("capacity reservations could not be read (denied); headroom unknown,"
        + " scale-out not clamped"), outcome.notes());
    assertEquals(8, outcome.decision().to()); // the step limit, not a capacity clamp
  }

  /** To zero after 30 idle minutes, scale-in at once. */
  private static final PolicyConfig TO_ZERO = new PolicyConfig(
      new PolicyConfig.Bounds(0, 20, 30), POLICY.targets(), POLICY.freshness(),
      POLICY.scaleOut(), new PolicyConfig.ScaleInRules(100, 1, 0, 0, POLICY.scaleIn()
          .panicHoldMinutes()), POLICY.timing(), POLICY.budget(), POLICY.fallback());

  @Test
  void minutesWithoutAnInvocationsPointAreIdleForAPolicyThatScalesToZero() {
    // A minute of requests 45 minutes ago and no point since, as SageMaker publishes none for a
    // minute without requests: idle, not missing data.
    ports.minutes(Series.REQUESTS, 45, 30);
    ScalerOutcome idle = run(TO_ZERO, CapacityMode.NONE, false);
    assertEquals(0, idle.decision().to(), idle.toJson());
    assertTrue(idle.decision().has(ReasonCode.IDLE_TO_ZERO));

    // The same minutes are missing data to a policy that keeps a minimum: it holds.
    assertEquals(4, run(POLICY, CapacityMode.NONE, true).decision().to());
  }

  @Test
  void withoutAnyPointTheIdleMinutesCountFromTheLastChange() {
    // No request point in the day read: a component changed a day ago has been idle since...
    assertEquals(0, run(TO_ZERO, CapacityMode.NONE, true).decision().to());
    // ...one created (or scaled) ten minutes ago has no idle history yet, and keeps one.
    ports.snapshot = new EndpointSnapshot("llm", "AllTraffic", "ml.g5.2xlarge",
        EndpointSnapshot.IN_SERVICE, 4, 4, NOW.minus(Duration.ofMinutes(10)));
    assertEquals(1, run(TO_ZERO, CapacityMode.NONE, true).decision().to());
  }

  @Test
  void aComponentWhoseCopiesCannotBeCountedIsNotClampedByReservationsCountedInInstances() {
    ports.requests(1200);
    ports.capacity = new CapacityCheck("reservations", "g5.2xlarge", 2, 1, null);
    ports.hostingNote = "copies not capped: the accelerators of ml.x are not in the catalog";
    ScalerOutcome outcome = run(POLICY, CapacityMode.RESERVATIONS, false);
    assertEquals(8, outcome.decision().to()); // the step limit, not 4 + 2 instances
    assertTrue(outcome.notes().contains(ports.hostingNote), outcome.notes().toString());
  }

  @Test
  void capacityIsCheckedOnlyWhenAskedAndClampsTheScaleOut() {
    ports.requests(1200);
    ports.capacity = new CapacityCheck("reservations", "g5.2xlarge", 2, 1, null);
    assertEquals(6, run(POLICY, CapacityMode.RESERVATIONS, false).decision().to());
    assertEquals(1, ports.capacityLookups);
    assertEquals("none", run().capacity().mode());
    assertEquals(1, ports.capacityLookups);
    ports.capacity = new CapacityCheck("reservations", "g5.2xlarge", 0, 0, null);
    assertEquals("no active capacity reservation for g5.2xlarge: scale-out is limited to 0 more"
        + " instances", run(POLICY, CapacityMode.RESERVATIONS, false).capacity().note());
  }

  @Test
  void nothingIsAppliedOnADryRunAPausedOrABusyEndpoint() {
    ports.requests(600);
    assertEquals(List.of(NotApplied.DRY_RUN), run(POLICY, CapacityMode.NONE, true).notApplied());
    ports.paused = true;
    assertEquals(List.of(NotApplied.PAUSED), run().notApplied());
    ports.paused = false;
    ports.snapshot = new EndpointSnapshot("llm", "AllTraffic", "ml.g5.2xlarge",
        EndpointSnapshot.UPDATING, 4, 4, NOW);
    ScalerOutcome busy = run();
    assertEquals(List.of(NotApplied.NO_CHANGE, NotApplied.ENDPOINT_NOT_IN_SERVICE),
        busy.notApplied());
    assertEquals(List.of(), ports.updates);
  }

  @Test
  void anUpdateIsNotStartedWithoutTimeForItAndAFailedOneIsSaid() {
    ports.requests(600);
    ScalerOutcome late = run(POLICY, CapacityMode.NONE, false, NOW, Duration.ofSeconds(10));
    assertEquals(List.of(NotApplied.NOT_ENOUGH_TIME), late.notApplied());
    assertEquals(List.of(), ports.updates);
    assertTrue(late.notes().get(0).startsWith("only 10000 ms left, the update needs 17000 ms"));

    ports.updateFailure = new PortFailure(FailureReason.AWS_THROTTLED, "throttled", null);
    ScalerOutcome failed = run();
    assertFalse(failed.applied());
    assertEquals(List.of(NotApplied.UPDATE_FAILED), failed.notApplied());
    assertEquals(List.of("the update to 5 failed (throttled); not applied"), failed.notes());
  }

  @Test
  void aFailedReadIsNotADecision() {
    PortFailure gone = new PortFailure(FailureReason.ENDPOINT_NOT_FOUND, "gone", null);
    EndpointControl missing = new EndpointControl() {
      @Override
      public EndpointState read() {
        throw gone;
      }

      @Override
      public void setDesiredInstances(EndpointState asRead, int count, FallbackPlan plan) {
        throw new AssertionError("nothing may be set");
      }

      @Override
      public void remember(LastAsk ask) {
        throw new AssertionError("nothing may be kept");
      }

      @Override
      public Duration updateBudget() {
        return Duration.ZERO;
      }
    };
    ScalerStep step = new ScalerStep(ports, missing, ports, ports, ports.clock(NOW));
    assertEquals(gone, assertThrows(PortFailure.class, () -> step.run(new ScalerTask("llm",
        "AllTraffic", POLICY, List.of(), CapacityMode.NONE, false, Trigger.SCHEDULE),
        () -> Duration.ZERO)));
    assertTrue(ports.reads.isEmpty());
  }
}
