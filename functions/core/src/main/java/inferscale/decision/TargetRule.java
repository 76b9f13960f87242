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
    Proposal next = proposal;
    TrailEntry floor = highest(highest(predictive(input.predictiveFloor()),
        scheduled(input.scheduledFloor())), new TrailEntry(Rule.TARGET, ReasonCode.MIN_INSTANCES,
            null, bounds.minInstances(), "the policy minimum is " + bounds.minInstances()));
    if (floor != null && floor.count() > next.count()) {
      next = next.with(floor);
    }
    if (next.count() > bounds.maxInstances()) {
      next = next.with(new TrailEntry(Rule.TARGET, ReasonCode.MAX_INSTANCES, null,
          bounds.maxInstances(), Explanation.label(next.binding()) + " asks for " + next.count()
              + ", more than the policy maximum of " + bounds.maxInstances()));
    }
    return next;
  }

  private static TrailEntry highest(TrailEntry first, TrailEntry second) {
    if (first == null) {
      return second;
    }
    return second != null && second.count() > first.count() ? second : first;
  }

  private static TrailEntry predictive(PredictiveFloor floor) {
    if (floor == null) {
      return null;
    }
    String forecast = floor.basis() == PredictiveFloor.Basis.EXPECTED_AT_TARGET
        ? "expected rate" : "upper forecast";
    return new TrailEntry(Rule.TARGET, ReasonCode.PREDICTIVE_FLOOR, null, floor.instances(),
        "the forecast peak (" + forecast + ") of " + Explanation.number(floor.peakRps())
            + " RPS at " + floor.peakAt() + " needs " + floor.instances() + " at "
            + Explanation.number(floor.rpsPerInstance()) + " per instance, ready within the "
            + floor.leadMinutes() + "-minute lead");
  }

  private static TrailEntry scheduled(ScheduledFloor floor) {
    return floor == null ? null : new TrailEntry(Rule.TARGET, ReasonCode.SCHEDULED_FLOOR, null,
        floor.instances(), "schedule " + floor.schedule() + " requires " + floor.instances());
  }
}
