package inferscale.control;

import static inferscale.control.FakePorts.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.control.ScalerOutcome.NotApplied;
import inferscale.decision.Action;
import inferscale.decision.EndpointSnapshot;
import inferscale.decision.PolicyConfig;
import inferscale.decision.ReasonCode;
import inferscale.decision.Signal;
import inferscale.decision.SignalPoint;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scaler step's event-driven parts on plain ports: a second run in a minute, the high-resolution
 * concurrency signal, the record of the last ask (timing a scale-out, backing off after one that
 * found no capacity) and the capacity fallback.
 */
class EventDrivenStepTest {
  /** Without panic mode, so the scale-out step limit shows. */
  private static final PolicyConfig POLICY = withScaleOut(
      PolicyConfig.defaults().withBounds(1, 20).withTargetRpsPerInstance(2.0),
      new PolicyConfig.ScaleOutRules(100, 4, 10), PolicyConfig.defaults().fallback());
  private final FakePorts ports = new FakePorts();

  private ScalerOutcome run(PolicyConfig policy, Instant at, Trigger trigger) {
    return new ScalerStep(ports, ports, ports, ports, ports.clock(at)).run(new ScalerTask("llm",
        "AllTraffic", policy, List.of(), CapacityMode.NONE, false, trigger),
        ChronoUnit.FOREVER::getDuration);
  }

  /** The endpoint as SageMaker shows it once an update finished (moto: at once). */
  private void endpointAt(int serving, int desired, String status) {
    ports.snapshot = new EndpointSnapshot("llm", "AllTraffic", "ml.g5.2xlarge", status, serving,
        desired, NOW.minus(Duration.ofDays(1)));
  }

  @Test
  void aSecondRunInTheMinuteDecidesFromTheCountTheMinuteStartedWith() {
    ports.requests(1200); // 20 RPS at 2 per instance: 10, from 4 at most +4 a cycle: 8
    ScalerOutcome first = run(POLICY, NOW.plusSeconds(5), Trigger.SCHEDULE);
    assertEquals(8, first.decision().to());
    assertEquals(4, ports.lastAsk.from());
    endpointAt(8, 8, EndpointSnapshot.IN_SERVICE); // already there, as moto has it

    ScalerOutcome second = run(POLICY, NOW.plusSeconds(40), Trigger.ALARM);

    assertEquals(4, second.decision().from(), second.toJson());
    assertEquals(8, second.decision().to(), "the same step from the same count, not 8 + 4");
    assertEquals(List.of(NotApplied.NO_CHANGE), second.notApplied());
    assertEquals(List.of(8), ports.updates, "one update for the minute");
    assertEquals(Trigger.ALARM, second.trigger());

    // The next minute is a new minute: it may step on from 8.
    ScalerOutcome next = run(POLICY, NOW.plusSeconds(65), Trigger.SCHEDULE);
    assertEquals(8, next.decision().from());
    assertEquals(10, next.decision().to());
  }

  @Test
  void aSecondRunInTheMinuteNeverTakesBackWhatTheFirstAskedFor() {
    ports.lastAsk = LastAsk.asked(NOW.plusSeconds(3), 4, 8, null);
    endpointAt(8, 8, EndpointSnapshot.IN_SERVICE);
    ports.requests(600); // 5 from the minute's 4: +1 only

    ScalerOutcome second = run(POLICY, NOW.plusSeconds(30), Trigger.ALARM);

    assertEquals(5, second.decision().to());
    assertTrue(second.notApplied().contains(NotApplied.ALREADY_ASKED), second.toJson());
    assertTrue(ports.updates.isEmpty());
  }

  @Test
  void rpsIsCarriedIntoTheMinutesNotYetPublishedByTheInFlightRequests() {
    // A concurrency target of 8 at 2 RPS per instance: a latency of 4 s.
    PolicyConfig policy = POLICY.withTargets(new PolicyConfig.Targets(EnumSet.of(Signal.RPS),
        2.0, null, 0.75, 2.0, null, 8.0, 0.1, null));
    ports.requests(480); // 8 RPS through two minutes ago: 4 instances, as now
    // In flight per instance, the newest point in the minute now running: 8 a minute ago is
    // 4 × 8 / 4 s = 8 RPS; 16 now is 16 RPS.
    ports.minutes(Series.CONCURRENT_REQUESTS, 0, 8, 8, 16);

    ScalerOutcome outcome = run(policy, NOW.plusSeconds(30), Trigger.ALARM);

    var rps = outcome.decision().signals().get(0);
    assertEquals(NOW, rps.newestPoint());
    assertEquals(12.0, rps.value(), 1e-9, "the mean of the window's 2 minutes: 8 and 16 RPS");
    assertEquals(6, outcome.decision().to());
  }

  @Test
  void concurrencyAsASignalOfItsOwnTracksInFlightPerInstance() {
    PolicyConfig policy = POLICY.withTargets(new PolicyConfig.Targets(
        EnumSet.of(Signal.CONCURRENCY), 2.0, null, 0.75, 2.0, null, 8.0, 0.1, null));
    ports.minutes(Series.CONCURRENT_REQUESTS, 0, 8, 8, 20);

    ScalerOutcome outcome = run(policy, NOW.plusSeconds(30), Trigger.ALARM);

    var concurrency = outcome.decision().signals().get(0);
    assertEquals(Signal.CONCURRENCY, concurrency.signal());
    assertEquals(14.0, concurrency.value(), 1e-9);
    assertEquals(7, concurrency.recommended(), "4 instances × 14 in flight / 8 each");
    assertEquals(7, outcome.decision().to());
  }

  @Test
  void aScaleOutIsTimedToInServiceAndTheLeadIsLearnedFromEnoughOfThem() {
    ports.lastAsk = LastAsk.asked(NOW.minus(Duration.ofMinutes(11)), 4, 6, null);
    endpointAt(6, 6, EndpointSnapshot.IN_SERVICE);
    ports.requests(720); // 6 instances' worth: hold
    for (int i = 0; i < 19; i++) {
      ports.startups.add(new SignalPoint(NOW.minus(Duration.ofHours(20 - i)), 9 + i % 4));
    }

    ScalerOutcome outcome = run(POLICY, NOW, Trigger.ENDPOINT_STATE);

    assertEquals(11.0, outcome.startupMinutes(), 1e-9);
    assertEquals(LastAsk.Outcome.SERVED, ports.lastAsk.outcome(), "judged once, and kept");
    // 19 timed scale-outs of 9-12 minutes: p90 is 12.
    assertEquals(12, outcome.lead().coldStartMinutes());
    assertEquals(19, outcome.lead().updates());
    assertTrue(outcome.lead().sentence().startsWith("lead 14 min: p90 of the last 19 updates"),
        outcome.lead().sentence());
  }

  @Test
  void tooFewTimedScaleOutsKeepThePolicysColdStart() {
    ports.requests(480);
    ports.startups.add(new SignalPoint(NOW.minus(Duration.ofHours(1)), 30));
    ScalerOutcome outcome = run(POLICY, NOW, Trigger.SCHEDULE);
    assertEquals(10, outcome.lead().coldStartMinutes());
    assertFalse(outcome.lead().learned());
    assertNull(outcome.startupMinutes());
  }

  @Test
  void theLeadTalliedWithinTheHourIsRecalledWithoutReadingTheScaleOutsAgain() {
    ports.requests(480);
    ports.minutes(Series.LEARNED_COLD_START, 59, 13);
    ports.minutes(Series.LEAD_UPDATES, 59, 20);
    ScalerOutcome recalled = run(POLICY, NOW, Trigger.SCHEDULE);
    assertEquals(13, recalled.lead().coldStartMinutes());
    assertEquals(0, ports.startupReads, "recalled from the scaler's own record");
    assertTrue(recalled.lead().sentence().startsWith("lead 15 min: p90 of the last 20 updates"),
        recalled.lead().sentence());

    ports.minutes(Series.LEARNED_COLD_START, 30, 600); // not a tally: kept within its bounds
    ports.minutes(Series.LEAD_UPDATES, 30, 20);
    assertEquals(120, run(POLICY, NOW, Trigger.SCHEDULE).lead().coldStartMinutes());

    ports.minutes(Series.LEARNED_COLD_START, 60, 13); // an hour old: tallied again
    ports.minutes(Series.LEAD_UPDATES, 60, 20);
    ports.startupReads = 0;
    ScalerOutcome tallied = run(POLICY, NOW, Trigger.SCHEDULE);
    assertEquals(1, ports.startupReads);
    assertEquals(NOW, tallied.lead().measuredAt());
    assertEquals(10, tallied.lead().coldStartMinutes(), "no timed scale-outs: the policy's");
  }

  @Test
  void aScaleOutRolledBackForCapacityBacksOffThenRetries() {
    ports.lastAsk = LastAsk.asked(NOW.minus(Duration.ofMinutes(3)), 4, 8, null);
    ports.failureReason = "Unable to provision requested ML compute capacity due to"
        + " InsufficientInstanceCapacity error.";
    // Rolled back a minute ago: InService again at 4, modified since the ask.
    ports.snapshot = new EndpointSnapshot("llm", "AllTraffic", "ml.g5.2xlarge",
        EndpointSnapshot.IN_SERVICE, 4, 4, NOW.minus(Duration.ofMinutes(1)));
    ports.requests(1200);

    ScalerOutcome blocked = run(POLICY, NOW, Trigger.ENDPOINT_STATE);

    assertEquals(LastAsk.Outcome.NO_CAPACITY, ports.lastAsk.outcome());
    assertEquals(1, ports.lastAsk.failures());
    Instant retryAt = ports.lastAsk.retryAt();
    assertTrue(!retryAt.isBefore(NOW.plusSeconds(60)) && retryAt.isBefore(NOW.plusSeconds(120)),
        "the first back-off is 1-2 minutes: " + retryAt);
    assertEquals(Action.HOLD, blocked.decision().action());
    assertEquals(ReasonCode.CAPACITY_UNAVAILABLE, blocked.decision().bindingConstraint());
    assertTrue(blocked.decision().explanation().contains("found no capacity"),
        blocked.decision().explanation());
    assertTrue(ports.updates.isEmpty());

    ScalerOutcome retry = run(POLICY, retryAt.plusSeconds(1), Trigger.SCHEDULE);
    assertEquals(8, retry.decision().to(), "after the back-off it asks again");
    assertEquals(LastAsk.Outcome.PENDING, ports.lastAsk.outcome());
    assertEquals(1, ports.lastAsk.failures(), "the failures so far go with the new ask");
  }

  @Test
  void aCapacityFailureOlderThanTheAskIsNotItsFailure() {
    ports.lastAsk = LastAsk.asked(NOW.minus(Duration.ofMinutes(3)), 4, 8, null);
    ports.failureReason = "Unable to provision requested ML compute capacity";
    endpointAt(4, 8, EndpointSnapshot.UPDATING); // the reason is from an update a day ago
    ports.requests(1200);
    assertEquals(LastAsk.Outcome.PENDING, run(POLICY, NOW, Trigger.SCHEDULE).lastAsk().outcome());
  }

  @Test
  void aScaleOutThatDoesNotServeInTwoColdStartsFoundNoCapacity() {
    ports.lastAsk = LastAsk.asked(NOW.minus(Duration.ofMinutes(20)), 4, 8, null);
    endpointAt(4, 8, EndpointSnapshot.UPDATING);
    ports.requests(1200);
    ScalerOutcome outcome = run(POLICY, NOW, Trigger.SCHEDULE);
    assertEquals(LastAsk.Outcome.NO_CAPACITY, outcome.lastAsk().outcome());
  }

  @Test
  void whileThePrimaryCannotGrowTheFallbackGrowsAndTakesTrafficByServingCapacity() {
    PolicyConfig policy = fallbackPolicy();
    ports.lastAsk = new LastAsk(NOW.minus(Duration.ofMinutes(3)), 4, 8,
        LastAsk.Outcome.NO_CAPACITY, 2, NOW.plus(Duration.ofMinutes(5)));
    ports.fallback = new VariantState("Fallback", "ml.g6.2xlarge", 2, 2, 0);
    ports.requests(1200); // 10 primary instances' worth; 4 serve

    ScalerOutcome outcome = run(policy, NOW, Trigger.SCHEDULE);

    FallbackPlan plan = outcome.fallback();
    // 6 primary instances short at 2 RPS = 12 RPS, at 1 RPS per fallback instance: 12.
    assertEquals(12, plan.fallbackInstances());
    // Serving capacity after the update: 4 × 2 on the primary, 2 × 1 on the fallback.
    assertEquals(0.8f, plan.primaryWeight(), 1e-6);
    assertEquals(0.2f, plan.fallbackWeight(), 1e-6);
    assertTrue(outcome.applied(), outcome.toJson());
    assertEquals(List.of(4), ports.updates, "the primary keeps its count");
    assertEquals(plan, ports.fallbackUpdates.get(0));
  }

  @Test
  void onceThePrimaryServesAgainTheFallbackShrinksAndTrafficReturns() {
    PolicyConfig policy = fallbackPolicy();
    ports.lastAsk = LastAsk.asked(NOW.minus(Duration.ofMinutes(12)), 4, 10, null);
    endpointAt(10, 10, EndpointSnapshot.IN_SERVICE);
    ports.fallback = new VariantState("Fallback", "ml.g6.2xlarge", 12, 12, 0.2f);
    splitDemand(960, 240); // 20 RPS, a fifth of it on the fallback

    FallbackPlan plan = run(policy, NOW, Trigger.ENDPOINT_STATE).fallback();

    assertEquals(0, plan.fallbackInstances(), "the primary serves all: the fallback's minimum");
    assertEquals(1.0f, plan.primaryWeight(), 1e-6);
    assertEquals(0.0f, plan.fallbackWeight(), 1e-6, "no weight on a variant left with nothing");
  }

  @Test
  void theFallbacksShareOfTheTrafficStillCountsAsDemand() {
    PolicyConfig policy = fallbackPolicy();
    ports.lastAsk = new LastAsk(NOW.minus(Duration.ofMinutes(3)), 4, 8,
        LastAsk.Outcome.NO_CAPACITY, 2, NOW.plus(Duration.ofMinutes(5)));
    ports.weight = 0.4f;
    ports.fallback = new VariantState("Fallback", "ml.g6.2xlarge", 12, 12, 0.6f);
    splitDemand(480, 720); // 20 RPS: 8 on the primary's 4 instances, 12 on the fallback's 12

    ScalerOutcome outcome = run(policy, NOW, Trigger.SCHEDULE);

    assertEquals(20.0, outcome.decision().signals().get(0).value(), 1e-9);
    assertEquals(10, outcome.decision().need());
    assertEquals(12, outcome.fallback().fallbackInstances(), "it keeps what it serves");
    assertFalse(outcome.fallback().changes(), "the shares already match: no update");
    assertTrue(ports.updates.isEmpty());
  }

  /** An hour of requests per minute on each variant, the newest two minutes old. */
  private void splitDemand(double primary, double fallback) {
    ports.requests(primary);
    double[] hour = new double[60];
    java.util.Arrays.fill(hour, fallback);
    ports.minutes(Series.FALLBACK_REQUESTS, 2, hour);
  }

  private static PolicyConfig fallbackPolicy() {
    return withScaleOut(POLICY, POLICY.scaleOut(), new PolicyConfig.Fallback("Fallback", 1.0, 0,
        16)); // a minimum of 0: an endpoint with inference components
  }

  private static PolicyConfig withScaleOut(PolicyConfig policy, PolicyConfig.ScaleOutRules rules,
      PolicyConfig.Fallback fallback) {
    return new PolicyConfig(policy.bounds(), policy.targets(), policy.freshness(), rules,
        policy.scaleIn(), policy.timing(), policy.budget(), fallback).validated();
  }

  @Test
  void anUpdateThatFailsLeavesNoAskBehindUnlessTheQuotaRefusedIt() {
    ports.requests(1200);
    ports.updateFailure = new PortFailure(FailureReason.AWS_THROTTLED, "Throttling", null);
    ScalerOutcome throttled = run(POLICY, NOW, Trigger.SCHEDULE);
    assertEquals(List.of(NotApplied.UPDATE_FAILED), throttled.notApplied());
    assertTrue(ports.remembered.isEmpty(), "the record follows the update: none was made");

    ports.updateFailure = new PortFailure(FailureReason.AWS_REJECTED,
        "UpdateEndpointWeightsAndCapacities: ResourceLimitExceeded: the account-level service"
            + " limit 'ml.g5.2xlarge for endpoint usage' is 6 Instances", null);
    run(POLICY, NOW.plusSeconds(61), Trigger.SCHEDULE);
    assertEquals(LastAsk.Outcome.NO_CAPACITY, ports.lastAsk.outcome(), "the quota: back off");
    assertEquals(8, ports.lastAsk.to());
  }

  @Test
  void aFailedTagWriteIsANoteNotAFailedUpdate() {
    ports.requests(1200);
    ports.rememberFailure = new PortFailure(FailureReason.AWS_REJECTED, "TooManyTags", null);
    ScalerOutcome outcome = run(POLICY, NOW, Trigger.SCHEDULE);
    assertTrue(outcome.applied());
    assertEquals(List.of(8), ports.updates);
    assertTrue(outcome.notes().stream().anyMatch(n -> n.contains("TooManyTags")),
        outcome.notes().toString());
  }

  @Test
  void aPausedEndpointKeepsNoRecordAndPublishesNoStartUpTime() {
    ports.lastAsk = LastAsk.asked(NOW.minus(Duration.ofMinutes(11)), 4, 6, null);
    endpointAt(6, 6, EndpointSnapshot.IN_SERVICE);
    ports.paused = true;
    ports.requests(720);
    ScalerOutcome outcome = run(POLICY, NOW, Trigger.SCHEDULE);
    assertTrue(ports.remembered.isEmpty());
    assertNull(outcome.startupMinutes(), "published once, by the run that keeps the record");
  }

  @Test
  void aDryRunKeepsNoRecord() {
    ports.lastAsk = LastAsk.asked(NOW.minus(Duration.ofMinutes(11)), 4, 6, null);
    endpointAt(6, 6, EndpointSnapshot.IN_SERVICE);
    ports.requests(720);
    ScalerOutcome outcome = new ScalerStep(ports, ports, ports, ports, ports.clock(NOW)).run(
        new ScalerTask("llm", "AllTraffic", POLICY, List.of(), CapacityMode.NONE, true,
            Trigger.MANUAL), ChronoUnit.FOREVER::getDuration);
    assertTrue(ports.remembered.isEmpty(), "a dry run changes nothing, tags included");
    assertEquals(LastAsk.Outcome.PENDING, ports.lastAsk.outcome());
    assertNull(outcome.startupMinutes());
  }
}
