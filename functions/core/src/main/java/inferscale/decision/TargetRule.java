package inferscale.decision;

/**
 * Rule 3: the floors raise the count (the forecast's, an explicit schedule's, the policy
 * minimum: the highest, the first of them on ties) and the policy maximum caps it.
 */
final class TargetRule implements DecisionStep {
  @Override
  public Proposal apply(Proposal proposal, DecisionContext context) {
    DecisionInput input = context.input();
    PolicyConfig.Bounds bounds = context.policy().bounds();
    boolean idle = context.idle();
    PredictiveFloor predictive = context.predictiveFloor();
    ScheduledFloor scheduled = input.scheduledFloor();
    int forecast = predictive == null ? 0 : predictive.instances();
    int schedule = scheduled == null ? 0 : scheduled.instances();
    int minimum = bounds.scaleToZeroAfterMinutes() == null || idle ? bounds.minInstances()
        : Math.max(1, bounds.minInstances());
    int floor = floor(predictive, scheduled, minimum);
    Proposal next = proposal;
    // Only the floor that raises is described: a decision a minute must not format the others.
    if (floor > next.count()) {
      next = next.with(floor == forecast ? predictive(predictive)
          : floor == schedule ? new TrailEntry(Rule.TARGET, ReasonCode.SCHEDULED_FLOOR, null,
              floor, "schedule " + scheduled.schedule() + " requires " + floor)
          : new TrailEntry(Rule.TARGET, ReasonCode.MIN_INSTANCES, null, floor,
              minimum > bounds.minInstances() ? "a request within the last "
                  + bounds.scaleToZeroAfterMinutes() + " minutes keeps " + floor
                  : "the policy minimum is " + floor));
    }
    if (idle && floor == 0 && next.count() == 0 && context.desired() > 0) {
      next = next.with(new TrailEntry(Rule.TARGET, ReasonCode.IDLE_TO_ZERO, null, null,
          "no request for " + bounds.scaleToZeroAfterMinutes() + " minutes: at zero, the first"
              + " request waits a cold start of about "
              + context.policy().timing().coldStartMinutes() + " minutes"));
    }
    if (next.count() > bounds.maxInstances()) {
      next = next.with(new TrailEntry(Rule.TARGET, ReasonCode.MAX_INSTANCES, null,
          bounds.maxInstances(), Explanation.label(next.binding()) + " asks for " + next.count()
              + ", more than the policy maximum of " + bounds.maxInstances()));
    }
    return next;
  }

  /** The highest of the forecast's floor, a schedule's and the minimum; absent floors count 0. */
  static int floor(PredictiveFloor predictive, ScheduledFloor scheduled, int minInstances) {
    return Math.max(predictive == null ? 0 : predictive.instances(),
        Math.max(scheduled == null ? 0 : scheduled.instances(), minInstances));
  }

  private static TrailEntry predictive(PredictiveFloor floor) {
    String forecast = switch (floor.basis()) {
      case EXPECTED_AT_TARGET -> "expected rate";
      case UPPER_QUANTILE -> "upper forecast";
      case FORECAST_BAND -> "expected rate plus the policy's share of the band";
    };
    return new TrailEntry(Rule.TARGET, ReasonCode.PREDICTIVE_FLOOR, null, floor.instances(),
        "the forecast peak (" + forecast + ") of " + Explanation.number(floor.peakRps())
            + " RPS at " + floor.peakAt() + " needs " + floor.instances() + " at "
            + Explanation.number(floor.rpsPerInstance()) + " per instance, ready within the "
            + floor.leadMinutes() + "-minute lead");
  }
}
