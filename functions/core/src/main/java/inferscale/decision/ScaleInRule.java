package inferscale.decision;

/**
 * Rule 5: a scale-in never rests on doubtful data, waits out the cooldown after a scale-out and the
 * hold after panic, goes no lower than the highest need over the stabilisation window (or, while a
 * forecast covers the minutes until an instance removed now could serve again, than what it needs
 * over them), and removes at most max(percent, step) per cycle. A cap by the policy maximum is
 * applied at once.
 */
final class ScaleInRule implements DecisionStep {
  @Override
  public Proposal apply(Proposal proposal, DecisionContext context) {
    int desired = context.desired();
    int target = proposal.count();
    if (target >= desired || proposal.binding().reason() == ReasonCode.MAX_INSTANCES) {
      return proposal;
    }
    PolicyConfig policy = context.policy();
    if (context.doubtful()) {
      return proposal.settle(hold(ReasonCode.SCALE_IN_BLOCKED_SIGNALS_DOUBTFUL, context,
          "demand suggests " + target + " but " + doubtfulSignals(context)
              + ", and stale or missing data never causes a scale-in"));
    }
    if (context.inScaleInCooldown()) {
      return proposal.settle(hold(ReasonCode.SCALE_IN_COOLDOWN, context, "demand suggests "
          + target + " but the endpoint "
          + (context.endpoint().lastScaleOutTime() != null ? "scaled out" : "changed")
          + " less than " + policy.scaleIn().cooldownMinutes() + " minutes ago"));
    }
    SignalEvaluation rps = context.evaluation(Signal.RPS);
    if (rps != null && rps.panicWithinHold()) {
      return proposal.settle(hold(ReasonCode.SCALE_IN_PANIC_HOLD, context, "demand suggests "
          + target + " but panic mode was active within the last "
          + policy.scaleIn().panicHoldMinutes() + " minutes"));
    }
    PredictiveFloor forecast = context.predictiveFloor();
    Proposal kept = forecast != null && forecast.keepInstances() != null
        ? forecastCovered(proposal, context, forecast.keepInstances())
        : stabilised(proposal, context);
    if (kept.settled()) {
      return kept;
    }
    int step = policy.scaleIn().stepFrom(desired);
    if (kept.count() < desired - step) {
      return kept.with(new TrailEntry(Rule.SCALE_IN, ReasonCode.SCALE_IN_RATE_LIMITED, null,
          desired - step, "limited to −" + step + " per cycle"));
    }
    return kept;
  }

  /**
   * The stabilisation window guards against scaling in on a dip and paying a cold start to come
   * back: no lower than the highest need over it.
   */
  private static Proposal stabilised(Proposal proposal, DecisionContext context) {
    int target = proposal.count();
    SignalRecommendation highest = null;
    for (SignalRecommendation r : context.recommendations()) {
      if (r.stabilisedRecommended() != null && (highest == null
          || r.stabilisedRecommended() > highest.stabilisedRecommended())) {
        highest = r;
      }
    }
    int needed = highest == null ? target : Math.max(target, highest.stabilisedRecommended());
    int window = context.policy().scaleIn().stabilisationMinutes();
    if (context.removesWithinTolerance(needed)) {
      return proposal.settle(hold(ReasonCode.SCALE_IN_STABILISING, context, "demand now suggests "
          + target + " but needed " + needed + " within the last " + window + " minutes"));
    }
    if (needed > target) {
      return proposal.with(new TrailEntry(Rule.SCALE_IN, ReasonCode.SCALE_IN_STABILISING,
          highest.signal(), needed, "the highest need over the last " + window + " minutes is "
              + needed + " (" + highest.signal().jsonName() + ")"));
    }
    return proposal;
  }

  /**
   * A forecast reaching from now to the end of the look-ahead window guards the same minutes with
   * what is expected of them: scale-in keeps what that forecast needs (up to the policy maximum),
   * and never goes below what the signals ask now, so a forecast drop alone removes nothing.
   */
  private static Proposal forecastCovered(Proposal proposal, DecisionContext context, int keep) {
    int target = proposal.count();
    int kept = Math.min(keep, context.policy().bounds().maxInstances());
    String needs = "the forecast needs " + kept + " before an instance removed now could serve"
        + " again";
    if (kept > target) {
      if (context.removesWithinTolerance(kept)) {
        return proposal.settle(hold(ReasonCode.SCALE_IN_FORECAST_COVERED, context,
            "demand now suggests " + target + " but " + needs));
      }
      return proposal.with(new TrailEntry(Rule.SCALE_IN, ReasonCode.SCALE_IN_FORECAST_COVERED,
          null, kept, needs));
    }
    if (context.removesWithinTolerance(target)) {
      return proposal.settle(new TrailEntry(Rule.SCALE_IN, ReasonCode.WITHIN_TOLERANCE, null,
          context.desired(), Explanation.label(proposal.binding()) + " asks for " + target
              + ", within the tolerance band"));
    }
    return proposal.with(new TrailEntry(Rule.SCALE_IN, ReasonCode.SCALE_IN_FORECAST_COVERED, null,
        null, "the forecast needs no more before an instance removed now could serve again"));
  }

  private static TrailEntry hold(ReasonCode reason, DecisionContext context, String detail) {
    return new TrailEntry(Rule.SCALE_IN, reason, null, context.desired(), detail);
  }

  private static String doubtfulSignals(DecisionContext context) {
    return String.join(" and ", context.evaluations().stream().filter(e -> !e.fresh())
        .map(e -> e.signal().jsonName() + " is "
            + e.recommendation().freshness().name().toLowerCase(java.util.Locale.ROOT))
        .toList());
  }
}
