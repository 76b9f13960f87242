package inferscale.decision;

/**
 * Rule 4: a scale-out adds at most max(+percent, +step) per cycle, except in panic mode (RPS over
 * the threshold in every minute of the signal window), which goes straight to the requirement.
 */
final class ScaleOutRule implements DecisionStep {
  @Override
  public Proposal apply(Proposal proposal, DecisionContext context) {
    int desired = context.desired();
    if (proposal.count() <= desired) {
      return proposal;
    }
    PolicyConfig policy = context.policy();
    SignalEvaluation rps = context.evaluation(Signal.RPS);
    if (rps != null && rps.fresh() && rps.panic()) {
      return proposal.with(new TrailEntry(Rule.SCALE_OUT, ReasonCode.PANIC_MODE, Signal.RPS, null,
          "panic mode: RPS is over " + Explanation.number(policy.scaleOut().panicThreshold())
              + "× the current capacity in each of the last "
              + policy.freshness().signalWindowMinutes()
              + " minutes, so the step limit is lifted"));
    }
    int step = policy.scaleOut().stepFrom(desired);
    if (proposal.count() > (long) desired + step) {
      return proposal.with(new TrailEntry(Rule.SCALE_OUT, ReasonCode.SCALE_OUT_RATE_LIMITED, null,
          desired + step, "limited to +" + step + " per cycle"));
    }
    return proposal;
  }
}
