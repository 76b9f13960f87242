package inferscale.decision;

/**
 * Rule 7: no scale-out while the last one's capacity back-off lasts; otherwise a scale-out beyond
 * the capacity headroom (what reservations leave; for a component, what its instances hold; the
 * endpoint's share of the account's quota) is clamped to it.
 */
final class CapacityRule implements DecisionStep {
  @Override
  public Proposal apply(Proposal proposal, DecisionContext context) {
    int desired = context.desired();
    if (proposal.count() > desired
        && context.input().conditions().contains(ReasonCode.CAPACITY_UNAVAILABLE)) {
      return proposal.with(new TrailEntry(Rule.CAPACITY, ReasonCode.CAPACITY_UNAVAILABLE, null,
          desired, "the last scale-out found no capacity, so none is asked for until its"
              + " back-off is over"));
    }
    Headroom headroom = context.input().capacityHeadroom();
    if (headroom == null || proposal.count() <= (long) desired + headroom.more()) {
      return proposal;
    }
    return proposal.with(new TrailEntry(Rule.CAPACITY, headroom.reason(), null,
        desired + headroom.more(), headroom.limitedBy()));
  }
}
