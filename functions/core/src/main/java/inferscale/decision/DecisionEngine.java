package inferscale.decision;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The scaling policy: per-signal target tracking, floors, rate limits, panic mode, stabilised
 * scale-in, fail-safe holds and the capacity clamp. Pure and stateless: the decision depends only on
 * the {@link DecisionInput}, so the Lambda, the dry run and the backtest all run this same code.
 */
public final class DecisionEngine {

  /**
   * @throws InvalidPolicyException when the policy is invalid: nothing is decided on it
   */
  public Decision decide(DecisionInput input) {
    PolicyConfig policy = input.policy().validated();
    EndpointSnapshot endpoint = input.endpoint();
    // Scale from the count already asked for (instances still starting included), so a signal
    // measured before they serve does not ask for them twice.
    int current = endpoint.desiredInstanceCount();
    SignalEvaluator evaluator =
        new SignalEvaluator(policy, current, endpoint.currentInstanceCount(), input.now());

    List<SignalRecommendation> recommendations = new ArrayList<>();
    for (Signal signal : Signal.values()) {
      if (policy.tracks(signal)) {
        recommendations.add(evaluator.evaluate(signal, input.signals().get(signal)));
      }
    }
    Builder decision = new Builder(input, policy, recommendations);
    input.conditions().forEach(decision::reason);

    if (!endpoint.inService()) {
      return decision.hold(Constraint.ENDPOINT_STATUS, ReasonCode.ENDPOINT_NOT_IN_SERVICE,
          "endpoint status is " + endpoint.status() + ", not InService");
    }
    for (SignalRecommendation r : recommendations) {
      if (r.freshness() == Freshness.STALE) {
        decision.reason(ReasonCode.SIGNAL_STALE);
      } else if (r.freshness() == Freshness.MISSING) {
        decision.reason(ReasonCode.SIGNAL_MISSING);
      }
    }
    boolean anyFresh = recommendations.stream().anyMatch(r -> r.freshness() == Freshness.FRESH);
    boolean doubtful = recommendations.stream().anyMatch(r -> r.freshness() != Freshness.FRESH);
    if (!anyFresh) {
      decision.reason(ReasonCode.METRICS_MISSING);
    }

    // The reactive count and what produced it.
    Integer reactive = null;
    Constraint reactiveSource = null;
    for (SignalRecommendation r : recommendations) {
      if (r.recommended() != null && (reactive == null || r.recommended() > reactive)) {
        reactive = r.recommended();
        reactiveSource = Constraint.of(r.signal());
      }
    }
    decision.reactive(reactive);
    // The band applies to what would be acted on, the highest recommendation (an idle queue
    // asking for zero is no move out of it), and to the rounded count, as the rule says: measured
    // before rounding, demand worth 19.4 instances on 18 stayed in the band while the Azure
    // hour's ramp outran the fleet.
    boolean withinTolerance = reactive != null
        && Math.abs(reactive - current) <= policy.tolerance() * current;

    Target target;
    if (reactive == null) {
      target = new Target(current, anyFresh ? Constraint.TOLERANCE : Constraint.METRICS_MISSING);
    } else if (withinTolerance) {
      target = new Target(current, Constraint.TOLERANCE);
    } else {
      target = new Target(reactive, reactiveSource);
    }
    target = target.raisedBy(floorOf(input.predictiveFloor()), Constraint.PREDICTIVE_FLOOR)
        .raisedBy(floorOf(input.scheduledFloor()), Constraint.SCHEDULED_FLOOR)
        .raisedBy(policy.minInstances(), Constraint.MIN_INSTANCES);
    if (target.count() > policy.maxInstances()) {
      target = new Target(policy.maxInstances(), Constraint.MAX_INSTANCES);
      decision.reason(ReasonCode.MAX_INSTANCES);
    }

    if (target.count() > current) {
      return scaleOut(decision, input, policy, evaluator, target, current);
    }
    if (target.count() < current) {
      return scaleIn(decision, input, policy, evaluator, target, current, doubtful, recommendations);
    }
    if (target.source() == Constraint.TOLERANCE && reactive != null) {
      decision.reason(ReasonCode.WITHIN_TOLERANCE);
    }
    return decision.hold(target.source(), null, holdCause(target, reactive, anyFresh));
  }

  /**
   * Minutes of signal history, up to now, that a decision under this policy reads: the last hour,
   * on which the noise of per-minute RPS is judged, or the stabilisation window and panic hold over
   * full signal windows when longer; plus the staleness limit.
   */
  public static int historyMinutes(PolicyConfig policy) {
    int windows = Math.max(policy.stabilisationMinutes(), policy.panicHoldMinutes())
        + policy.signalWindowMinutes() + 1;
    return Math.max(SignalEvaluator.NOISE_HISTORY_MINUTES, windows) + policy.stalenessMinutes();
  }

  private Decision scaleOut(Builder decision, DecisionInput input, PolicyConfig policy,
      SignalEvaluator evaluator, Target target, int current) {
    decision.reason(reasonForRaise(target.source()));
    int to = target.count();
    Constraint binding = target.source();
    List<String> limits = new ArrayList<>();
    SignalRecommendation rps = decision.recommendation(Signal.RPS);
    boolean panic = rps != null && rps.freshness() == Freshness.FRESH
        && evaluator.panicNow(input.signals().get(Signal.RPS));
    if (panic) {
      decision.reason(ReasonCode.PANIC_MODE);
      limits.add("panic mode: RPS is over " + fmt(policy.panicThreshold())
          + "× the current capacity in each of the last " + policy.signalWindowMinutes()
          + " minutes, so the step limit is lifted");
    } else {
      int step = Math.max(stepOf(current, policy.scaleOutMaxPercent(), true), policy.scaleOutMinStep());
      if (to > (long) current + step) {
        to = current + step;
        binding = Constraint.SCALE_OUT_RATE_LIMIT;
        decision.reason(ReasonCode.SCALE_OUT_RATE_LIMITED);
        limits.add("limited to +" + step + " per cycle");
      }
    }
    Integer headroom = input.capacityHeadroom();
    if (headroom != null && to > (long) current + headroom) {
      to = current + headroom;
      binding = Constraint.CAPACITY;
      decision.reason(ReasonCode.CAPACITY_LIMITED);
      limits.add("capacity reservations have room for only " + headroom + " more");
    }
    String cause = causeOf(target, decision, policy);
    return decision.finish(to, binding, cause, limits);
  }

  private Decision scaleIn(Builder decision, DecisionInput input, PolicyConfig policy,
      SignalEvaluator evaluator, Target target, int current, boolean doubtful,
      List<SignalRecommendation> recommendations) {
    if (target.source() == Constraint.MAX_INSTANCES) {
      return decision.finish(target.count(), Constraint.MAX_INSTANCES,
          "the policy maximum is " + policy.maxInstances(), List.of());
    }
    if (doubtful) {
      decision.reason(ReasonCode.SCALE_IN_BLOCKED_SIGNALS_DOUBTFUL);
      return decision.hold(Constraint.SIGNALS_DOUBTFUL, null,
          "demand suggests " + target.count() + " but " + doubtfulList(recommendations)
              + ", and stale or missing data never causes a scale-in");
    }
    if (inScaleInCooldown(input, Duration.ofMinutes(policy.scaleInCooldownMinutes()))) {
      decision.reason(ReasonCode.SCALE_IN_COOLDOWN);
      return decision.hold(Constraint.SCALE_IN_COOLDOWN, null,
          "demand suggests " + target.count() + " but the endpoint "
              + (input.endpoint().lastScaleOutTime() != null ? "scaled out" : "changed")
              + " less than " + policy.scaleInCooldownMinutes() + " minutes ago");
    }
    if (policy.tracks(Signal.RPS) && evaluator.panicWithin(
        input.signals().get(Signal.RPS), Duration.ofMinutes(policy.panicHoldMinutes()))) {
      decision.reason(ReasonCode.SCALE_IN_PANIC_HOLD);
      return decision.hold(Constraint.PANIC_HOLD, null,
          "demand suggests " + target.count() + " but panic mode was active within the last "
              + policy.panicHoldMinutes() + " minutes");
    }

    // The stabilisation window guards against scaling in on a dip and paying a cold start to come
    // back. A forecast reaching from now to the end of the look-ahead window guards the same
    // minutes with what is expected of them: scale-in then keeps what that forecast needs, and
    // never goes below what the signals ask now (target), so a forecast drop alone removes nothing.
    PredictiveFloor forecast = input.predictiveFloor();
    Integer keep = forecast == null ? null : forecast.keepInstances();
    Target stabilised;
    String cause;
    if (keep != null) {
      // Like every other raise, what the forecast keeps stops at the policy maximum.
      int kept = Math.min(keep, policy.maxInstances());
      stabilised = target.raisedBy(kept, Constraint.PREDICTIVE_FLOOR);
      boolean forecastKeeps = kept > target.count();
      String why = forecastKeeps
          ? "the forecast needs " + kept + " before an instance removed now could serve again"
          : label(target.source()) + " asks for " + target.count();
      if (current - stabilised.count() <= policy.tolerance() * current) {
        if (forecastKeeps) {
          decision.reason(ReasonCode.SCALE_IN_FORECAST_COVERED);
          return decision.hold(Constraint.PREDICTIVE_FLOOR, null,
              "demand now suggests " + target.count() + " but " + why);
        }
        decision.reason(ReasonCode.WITHIN_TOLERANCE);
        return decision.hold(Constraint.TOLERANCE, null, why + ", within the tolerance band");
      }
      decision.reason(ReasonCode.SCALE_IN_FORECAST_COVERED);
      cause = forecastKeeps ? why
          : why + " and the forecast needs no more before an instance removed now could serve again";
    } else {
      stabilised = new Target(0, Constraint.STABILISATION_WINDOW);
      for (SignalRecommendation r : recommendations) {
        if (r.stabilisedRecommended() != null && r.stabilisedRecommended() > stabilised.count()) {
          stabilised = new Target(r.stabilisedRecommended(), Constraint.of(r.signal()));
        }
      }
      stabilised = stabilised.raisedBy(target.count(), target.source());
      if (current - stabilised.count() <= policy.tolerance() * current) {
        decision.reason(ReasonCode.SCALE_IN_STABILISING);
        return decision.hold(Constraint.STABILISATION_WINDOW, null,
            "demand now suggests " + target.count() + " but needed " + stabilised.count()
                + " within the last " + policy.stabilisationMinutes() + " minutes");
      }
      cause = "the highest need over the last " + policy.stabilisationMinutes() + " minutes is "
          + stabilised.count() + " (" + label(stabilised.source()) + ")";
    }
    decision.reason(ReasonCode.DEMAND_BELOW_CAPACITY);
    int step = Math.max(stepOf(current, policy.scaleInMaxPercent(), false), policy.scaleInMinStep());
    int to = stabilised.count();
    Constraint binding = stabilised.source();
    List<String> limits = new ArrayList<>();
    if (to < current - step) {
      to = current - step;
      binding = Constraint.SCALE_IN_RATE_LIMIT;
      decision.reason(ReasonCode.SCALE_IN_RATE_LIMITED);
      limits.add("limited to −" + step + " per cycle");
    }
    return decision.finish(to, binding, cause, limits);
  }

  private static boolean inScaleInCooldown(DecisionInput input, Duration cooldown) {
    var start = input.endpoint().cooldownStart();
    return start != null && input.now().isBefore(start.plus(cooldown));
  }

  /** Percent of current as a whole step: rounded up for scale-out, down for scale-in. */
  private static int stepOf(int current, double percent, boolean roundUp) {
    double step = current * percent / 100.0;
    double rounded = roundUp ? Math.ceil(step) : Math.floor(step);
    return rounded >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) rounded;
  }

  private static int floorOf(PredictiveFloor floor) {
    return floor == null ? 0 : floor.instances();
  }

  private static int floorOf(ScheduledFloor floor) {
    return floor == null ? 0 : floor.instances();
  }

  private static ReasonCode reasonForRaise(Constraint source) {
    return switch (source) {
      case PREDICTIVE_FLOOR -> ReasonCode.PREDICTIVE_FLOOR;
      case SCHEDULED_FLOOR -> ReasonCode.SCHEDULED_FLOOR;
      case MIN_INSTANCES -> ReasonCode.MIN_INSTANCES;
      case MAX_INSTANCES -> ReasonCode.MAX_INSTANCES;
      default -> ReasonCode.DEMAND_ABOVE_CAPACITY;
    };
  }

  private static String causeOf(Target target, Builder decision, PolicyConfig policy) {
    DecisionInput input = decision.input;
    return switch (target.source()) {
      case PREDICTIVE_FLOOR -> {
        PredictiveFloor floor = input.predictiveFloor();
        String forecast = floor.basis() == PredictiveFloor.Basis.EXPECTED_AT_TARGET
            ? "expected rate" : "upper forecast";
        yield "the forecast peak (" + forecast + ") of " + fmt(floor.peakRps()) + " RPS at "
            + floor.peakAt() + " needs " + floor.instances() + " at "
            + fmt(floor.rpsPerInstance()) + " per instance, ready within the "
            + floor.leadMinutes() + "-minute lead";
      }
      case SCHEDULED_FLOOR -> "schedule " + input.scheduledFloor().schedule() + " requires "
          + input.scheduledFloor().instances();
      case MIN_INSTANCES -> "the policy minimum is " + policy.minInstances();
      case MAX_INSTANCES -> "demand asks for more, capped at the policy maximum of "
          + policy.maxInstances();
      default -> describe(decision.recommendation(target.source().signal()), policy);
    };
  }

  private static String holdCause(Target target, Integer reactive, boolean anyFresh) {
    if (!anyFresh) {
      return "no tracked signal has fresh data";
    }
    if (target.source() == Constraint.TOLERANCE) {
      return reactive == null
          ? "no signal asks for a change"
          : "every recommendation (highest " + reactive + ") is within the tolerance band";
    }
    return label(target.source()) + " asks for exactly the current count";
  }

  private static String doubtfulList(List<SignalRecommendation> recommendations) {
    List<String> parts = new ArrayList<>();
    for (SignalRecommendation r : recommendations) {
      if (r.freshness() != Freshness.FRESH) {
        parts.add(r.signal().jsonName() + " is " + r.freshness().name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return String.join(" and ", parts);
  }

  static String describe(SignalRecommendation r, PolicyConfig policy) {
    String bursty = r.windowMinutes() != null && r.windowMinutes() > policy.signalWindowMinutes()
        ? " (mean of " + r.windowMinutes() + " minutes, as per-minute demand is bursty)" : "";
    String perInstance = switch (r.signal()) {
      case RPS -> " at " + fmt(r.target()) + " per instance";
      case KV_CACHE -> " at a target usage of " + fmt(r.target());
      case QUEUE -> " at " + fmt(r.target()) + " waiting per instance";
      case TTFT -> " against an SLO of " + fmt(r.target()) + " ms";
    };
    return r.signal().jsonName() + " " + fmt(r.value()) + bursty + " needs " + r.recommended()
        + perInstance;
  }

  private static String label(Constraint constraint) {
    return constraint.signal() != null
        ? constraint.signal().jsonName()
        : constraint.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }

  static String fmt(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(java.util.Locale.ROOT, "%.2f", value).replaceAll("0+$", "");
  }

  /** A candidate count and what produced it; raising keeps the larger, the earlier on ties. */
  private record Target(int count, Constraint source) {
    Target raisedBy(int floor, Constraint floorSource) {
      return floor > count ? new Target(floor, floorSource) : this;
    }
  }

  /** Collects reasons while the engine works, then assembles the decision and its sentence. */
  private static final class Builder {
    private final DecisionInput input;
    private final PolicyConfig policy;
    private final List<SignalRecommendation> recommendations;
    private final Set<ReasonCode> reasons = EnumSet.noneOf(ReasonCode.class);
    private final List<ReasonCode> orderedReasons = new ArrayList<>();
    private Integer reactive;

    Builder(DecisionInput input, PolicyConfig policy, List<SignalRecommendation> recommendations) {
      this.input = input;
      this.policy = policy;
      this.recommendations = recommendations;
    }

    void reason(ReasonCode code) {
      if (reasons.add(code)) {
        orderedReasons.add(code);
      }
    }

    void reactive(Integer count) {
      reactive = count;
    }

    SignalRecommendation recommendation(Signal signal) {
      for (SignalRecommendation r : recommendations) {
        if (r.signal() == signal) {
          return r;
        }
      }
      return null;
    }

    Decision hold(Constraint binding, ReasonCode code, String cause) {
      if (code != null) {
        reason(code);
      }
      int current = input.endpoint().desiredInstanceCount();
      return build(Action.HOLD, current, binding,
          "Hold " + name() + " at " + plural(current) + ": " + cause + ".");
    }

    Decision finish(int to, Constraint binding, String cause, List<String> limits) {
      int from = input.endpoint().desiredInstanceCount();
      Action action = to > from ? Action.SCALE_OUT : to < from ? Action.SCALE_IN : Action.HOLD;
      String change = switch (action) {
        case SCALE_OUT -> "Scale out " + name() + " from " + from + " to " + plural(to);
        case SCALE_IN -> "Scale in " + name() + " from " + from + " to " + plural(to);
        case HOLD -> "Hold " + name() + " at " + plural(to);
      };
      String sentence = change + ": " + cause
          + (limits.isEmpty() ? "" : "; " + String.join("; ", limits)) + ".";
      return build(action, to, binding, sentence);
    }

    private Decision build(Action action, int to, Constraint binding, String sentence) {
      String explanation = sentence;
      if (reasons.contains(ReasonCode.FORECAST_UNAVAILABLE)) {
        explanation = explanation.substring(0, explanation.length() - 1)
            + " (no forecast: reactive only).";
      }
      if (reasons.contains(ReasonCode.CAPACITY_UNKNOWN)) {
        explanation = explanation.substring(0, explanation.length() - 1)
            + " (capacity unknown: not clamped).";
      }
      EndpointSnapshot endpoint = input.endpoint();
      return new Decision(endpoint.endpointName(), endpoint.variantName(), input.now(), action,
          endpoint.desiredInstanceCount(), to, reactive, input.predictiveFloor(),
          input.scheduledFloor(), policy.minInstances(), policy.maxInstances(),
          input.capacityHeadroom(), binding, orderedReasons, recommendations, explanation);
    }

    private String name() {
      return input.endpoint().endpointName() + "/" + input.endpoint().variantName();
    }

    private static String plural(int count) {
      return count + (count == 1 ? " instance" : " instances");
    }
  }
}
