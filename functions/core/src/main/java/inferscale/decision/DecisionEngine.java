package inferscale.decision;

import java.util.ArrayList;
import java.util.List;

/**
 * The scaling policy as a pipeline of the README's rules: per-signal target tracking, tolerance,
 * floors and bounds, rate limits and panic mode, stabilised scale-in, fail-safe holds and the
 * capacity clamp. Each rule turns the proposal into the next and appends to its trail; the
 * decision's reasons, binding constraint and sentence all come from that trail. Pure and
 * stateless: the decision depends only on the {@link DecisionInput}, so the Lambda, the dry run
 * and the backtest all run this same code.
 */
public final class DecisionEngine {
  /** The rules in the order they act: holds first, then the target, then its limits. */
  private static final List<DecisionStep> RULES = List.of(
      new FreshnessRule(),
      new SignalRule(),
      new ToleranceRule(),
      new TargetRule(),
      new ScaleOutRule(),
      new CapacityRule(),
      new ScaleInRule());

  /**
   * @throws InvalidPolicyException when the policy is invalid: nothing is decided on it
   */
  public Decision decide(DecisionInput input) {
    DecisionContext context = DecisionContext.of(input);
    Proposal proposal = Proposal.from(context.desired());
    for (ReasonCode condition : input.conditions()) {
      if (condition != ReasonCode.CAPACITY_UNAVAILABLE) { // a limit, which the capacity rule sets
        proposal = proposal.with(note(condition));
      }
    }
    for (DecisionStep rule : RULES) {
      if (proposal.settled()) {
        break;
      }
      proposal = rule.apply(proposal, context);
    }
    return decision(context, proposal);
  }

  /**
   * Minutes of signal history, up to now, that a decision under this policy reads: the last hour,
   * on which the noise of per-minute RPS is judged, or the stabilisation window and panic hold over
   * full signal windows, or the idle minutes before scaling to zero, when longer; plus the
   * staleness limit.
   */
  public static int historyMinutes(PolicyConfig policy) {
    int windows = Math.max(policy.scaleIn().stabilisationMinutes(),
        policy.scaleIn().panicHoldMinutes()) + policy.freshness().signalWindowMinutes() + 1;
    Integer idle = policy.bounds().scaleToZeroAfterMinutes();
    return Math.max(Math.max(SignalEvaluator.NOISE_HISTORY_MINUTES, windows),
        idle == null ? 0 : idle + 1) + policy.freshness().stalenessMinutes();
  }

  private static TrailEntry note(ReasonCode condition) {
    return switch (condition) {
      case FORECAST_UNAVAILABLE -> new TrailEntry(Rule.TARGET, condition, null, null,
          "no forecast: reactive only");
      case CAPACITY_UNKNOWN -> new TrailEntry(Rule.CAPACITY, condition, null, null,
          "capacity unknown: not clamped");
      default -> throw new IllegalArgumentException(
          "a condition is FORECAST_UNAVAILABLE, CAPACITY_UNKNOWN or CAPACITY_UNAVAILABLE, got "
              + condition);
    };
  }

  private static Decision decision(DecisionContext context, Proposal proposal) {
    EndpointSnapshot endpoint = context.endpoint();
    DecisionInput input = context.input();
    int from = context.desired();
    int to = proposal.count();
    Action action = to > from ? Action.SCALE_OUT : to < from ? Action.SCALE_IN : Action.HOLD;
    TrailEntry binding = proposal.binding();
    List<ReasonCode> reasons = new ArrayList<>();
    for (TrailEntry entry : proposal.trail()) {
      if (!reasons.contains(entry.reason())) {
        reasons.add(entry.reason());
      }
    }
    SignalRecommendation reactive = context.reactive();
    PolicyConfig.Bounds bounds = context.policy().bounds();
    return new Decision(endpoint.endpointName(), endpoint.variantName(), input.now(), action, from,
        to, reactive == null ? null : reactive.recommended(), input.predictiveFloor(),
        input.scheduledFloor(), bounds.minInstances(), bounds.maxInstances(),
        input.capacityHeadroom() == null ? null : input.capacityHeadroom().more(),
        binding.reason(), binding.signal(), reasons,
        context.recommendations(), proposal.trail(),
        Explanation.sentence(endpoint, from, to, proposal.trail()));
  }
}
