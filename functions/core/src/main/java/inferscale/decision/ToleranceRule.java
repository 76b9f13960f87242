package inferscale.decision;

/**
 * Rule 2: no change while the highest recommendation is within the tolerance band around the
 * desired count, or while no fresh signal asks for any count.
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
          context.desired(), "no signal asks for a change"));
    }
    if (!context.withinTolerance(reactive.recommended())) {
      return proposal;
    }
    return proposal.with(new TrailEntry(Rule.TOLERANCE, ReasonCode.WITHIN_TOLERANCE, null,
        context.desired(), "every recommendation (highest " + reactive.recommended()
            + ") is within the tolerance band"));
  }
}
