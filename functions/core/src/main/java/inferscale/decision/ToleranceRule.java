package inferscale.decision;

/**
 * Rule 2: no change while the highest recommendation is within the tolerance band around the
 * current count, or while no fresh signal asks for any count.
 */
final class ToleranceRule implements DecisionStep {
  @Override
  public Proposal apply(Proposal proposal, DecisionContext context) {
    if (!context.anyFresh()) {
      return proposal;
    }
    SignalRecommendation reactive = context.reactive();
    if (reactive == null) {
      return proposal.with(new TrailEntry(Rule.TOLERANCE, ReasonCode.WITHIN_TOLERANCE, null,
          context.current(), "no signal asks for a change"));
    }
    if (!context.withinTolerance(reactive.recommended())) {
      return proposal;
    }
    return proposal.with(new TrailEntry(Rule.TOLERANCE, ReasonCode.WITHIN_TOLERANCE, null,
        context.current(), "every recommendation (highest " + reactive.recommended()
            + ") is within the tolerance band"));
  }
}
