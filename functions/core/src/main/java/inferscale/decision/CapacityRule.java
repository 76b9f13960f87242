package inferscale.decision;

/** Rule 7: a scale-out beyond the capacity reservations' headroom is clamped to it. */
final class CapacityRule implements DecisionStep {
  @Override
  public Proposal apply(Proposal proposal, DecisionContext context) {
    int desired = context.desired();
    Integer headroom = context.input().capacityHeadroom();
    if (headroom == null || proposal.count() <= (long) desired + headroom) {
      return proposal;
    }
    return proposal.with(new TrailEntry(Rule.CAPACITY, ReasonCode.CAPACITY_LIMITED, null,
        desired + headroom, "capacity reservations have room for only " + headroom + " more"));
  }
}
