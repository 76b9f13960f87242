package inferscale.decision;

/**
 * Rule 1: the highest recommendation among fresh signals, when it is outside the tolerance band
 * (rule 2 holds the count otherwise).
 */
final class SignalRule implements DecisionStep {
  @Override
  public Proposal apply(Proposal proposal, DecisionContext context) {
    SignalRecommendation reactive = context.reactive();
    if (reactive == null || context.withinTolerance(reactive.recommended())) {
      return proposal;
    }
    ReasonCode direction = reactive.recommended() > context.desired()
        ? ReasonCode.DEMAND_ABOVE_CAPACITY : ReasonCode.DEMAND_BELOW_CAPACITY;
    return proposal.with(new TrailEntry(Rule.SIGNALS, direction, reactive.signal(),
        reactive.recommended(), describe(reactive, context.policy())));
  }

  /** "rps 8.5 needs 9 at 1 per instance": a recommendation and what produced it. */
  static String describe(SignalRecommendation r, PolicyConfig policy) {
    String bursty = r.windowMinutes() != null
        && r.windowMinutes() > policy.freshness().signalWindowMinutes()
        ? " (mean of " + r.windowMinutes() + " minutes, as per-minute demand is bursty)" : "";
    String perInstance = switch (r.signal()) {
      case RPS -> " at " + Explanation.number(r.target()) + " per instance";
      case KV_CACHE -> " at a target usage of " + Explanation.number(r.target());
      case QUEUE -> " at " + Explanation.number(r.target()) + " waiting per instance";
      case TTFT -> " against an SLO of " + Explanation.number(r.target()) + " ms";
      case CONCURRENCY -> " at " + Explanation.number(r.target()) + " in flight per instance";
    };
    return r.signal().jsonName() + " " + Explanation.number(r.value()) + bursty + " needs "
        + r.recommended() + perInstance;
  }
}
