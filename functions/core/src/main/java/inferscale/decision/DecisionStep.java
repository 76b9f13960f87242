package inferscale.decision;

/** One rule of the engine: the next proposal from this one. */
interface DecisionStep {
  Proposal apply(Proposal proposal, DecisionContext context);
}
