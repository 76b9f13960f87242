package inferscale.decision;

/**
 * Rule 4: a scale-out adds at most max(+percent, +step) per cycle, except in panic mode (RPS over
 * the threshold in every minute of the signal window, or a level shift into it), which goes
 * straight to the requirement, and up to an explicit schedule's count, which is asked for whole.
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
      String threshold = Explanation.number(policy.scaleOut().panicThreshold());
      return proposal.with(new TrailEntry(Rule.SCALE_OUT, ReasonCode.PANIC_MODE, Signal.RPS, null,
          rps.levelShift()
              ? "panic mode: RPS jumped to " + Explanation.number(rps.recommendation().value())
                  + " in the newest minute, over " + threshold + "× the current capacity, by"
                  + " more than " + Explanation.number(SignalEvaluator.SHIFT_NOISE_MULTIPLE)
                  + " times the last hour's noise: a level shift, so the step limit is lifted and"
                  + " the count is sized on that minute"
              : "panic mode: RPS is over " + threshold
                  + "× the current capacity in each of the last "
                  + policy.freshness().signalWindowMinutes()
                  + " minutes, so the step limit is lifted"));
    }
    int step = policy.scaleOut().stepFrom(desired);
    // A schedule's count is asked for whole: it names a known event and is asked a lead early so
    // that it serves when the window opens, which a count stepped up cold start by cold start
    // would not. Beyond it the step holds.
    ScheduledFloor scheduled = context.input().scheduledFloor();
    int whole = scheduled == null ? 0 : scheduled.instances();
    int limit = Math.max(desired + step, whole);
    if (proposal.count() > limit) {
      return proposal.with(new TrailEntry(Rule.SCALE_OUT, ReasonCode.SCALE_OUT_RATE_LIMITED, null,
          limit, whole > desired + step
              ? "limited to the schedule's " + whole + " this cycle"
              : "limited to +" + step + " per cycle"));
    }
    return proposal;
  }
}
