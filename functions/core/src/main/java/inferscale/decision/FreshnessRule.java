package inferscale.decision;

/**
 * Rule 6: an endpoint that is not InService is held; a stale or missing signal is noted (it blocks
 * scale-in later), and with no fresh signal at all the count holds unless a floor raises it.
 */
final class FreshnessRule implements DecisionStep {
  @Override
  public Proposal apply(Proposal proposal, DecisionContext context) {
    EndpointSnapshot endpoint = context.endpoint();
    if (!endpoint.inService()) {
      return proposal.settle(new TrailEntry(Rule.FRESHNESS, ReasonCode.ENDPOINT_NOT_IN_SERVICE,
          null, context.desired(), "endpoint status is " + endpoint.status() + ", not InService"));
    }
    Proposal next = proposal;
    for (SignalEvaluation evaluation : context.evaluations()) {
      Freshness freshness = evaluation.recommendation().freshness();
      if (freshness != Freshness.FRESH) {
        next = next.with(new TrailEntry(Rule.FRESHNESS, freshness == Freshness.STALE
            ? ReasonCode.SIGNAL_STALE : ReasonCode.SIGNAL_MISSING, evaluation.signal(), null, null));
      }
    }
    if (!context.anyFresh()) {
      next = next.with(new TrailEntry(Rule.FRESHNESS, ReasonCode.METRICS_MISSING, null,
          context.desired(), "no tracked signal has fresh data"));
    }
    return next;
  }
}
