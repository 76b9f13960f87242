package inferscale.decision;

import inferscale.units.RequestRate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What every rule of one decision reads, established once: the input, its validated policy, the
 * count it scales from, each tracked signal's evaluation and whether the endpoint is idle.
 *
 * @param desired the count scaling starts from: what is already asked for, instances still
 *     starting included, so a signal measured before they serve does not ask for them twice
 * @param idle the policy scales to zero and no request arrived for its idle minutes
 */
record DecisionContext(DecisionInput input, PolicyConfig policy, int desired,
    List<SignalEvaluation> evaluations, boolean idle) {

  static DecisionContext of(DecisionInput input) {
    PolicyConfig policy = input.policy().validated();
    EndpointSnapshot endpoint = input.endpoint();
    SignalEvaluator evaluator = new SignalEvaluator(policy, endpoint.desiredInstances(),
        endpoint.servingInstances(), input.now());
    List<SignalEvaluation> evaluations = new ArrayList<>();
    for (Signal signal : Signal.values()) {
      if (policy.tracks(signal)) {
        evaluations.add(evaluator.evaluate(signal, input.signals().get(signal)));
      }
    }
    return new DecisionContext(input, policy, endpoint.desiredInstances(),
        List.copyOf(evaluations), idle(policy, input));
  }

  EndpointSnapshot endpoint() {
    return input.endpoint();
  }

  /**
   * True when the policy scales to zero and no request arrived for its idle minutes: RPS reaches
   * back that far and is zero in every minute since.
   */
  private static boolean idle(PolicyConfig policy, DecisionInput input) {
    Integer minutes = policy.bounds().scaleToZeroAfterMinutes();
    if (minutes == null) {
      return false;
    }
    Instant since = input.now().minus(Duration.ofMinutes(minutes));
    boolean reachesBack = false;
    for (SignalPoint point : input.signals().get(Signal.RPS).points()) {
      if (point.timestamp().isAfter(input.now())) {
        break;
      }
      if (!point.timestamp().isAfter(since)) {
        reachesBack = true;
      } else if (point.value() > 0) {
        return false;
      }
    }
    return reachesBack;
  }

  /**
   * The forecast's floor; while idle, only when it foresees traffic returning, at least a request
   * a minute at its peak: fewer are stray requests, and the first of them wakes the endpoint at
   * the price of one cold start, which is cheaper than waiting for them all night.
   */
  PredictiveFloor predictiveFloor() {
    PredictiveFloor floor = input.predictiveFloor();
    return floor != null && idle && RequestRate.ofPerSecond(floor.peakRps()).perMinute() < 1
        ? null : floor;
  }

  List<SignalRecommendation> recommendations() {
    return evaluations.stream().map(SignalEvaluation::recommendation).toList();
  }

  /** The evaluation of a tracked signal, or null when the policy does not track it. */
  SignalEvaluation evaluation(Signal signal) {
    for (SignalEvaluation evaluation : evaluations) {
      if (evaluation.signal() == signal) {
        return evaluation;
      }
    }
    return null;
  }

  boolean anyFresh() {
    return evaluations.stream().anyMatch(SignalEvaluation::fresh);
  }

  /** True when some tracked signal is stale or missing. */
  boolean doubtful() {
    return !evaluations.stream().allMatch(SignalEvaluation::fresh);
  }

  /** The highest recommendation among fresh signals (the first signal on ties), or null. */
  SignalRecommendation reactive() {
    SignalRecommendation highest = null;
    for (SignalEvaluation evaluation : evaluations) {
      SignalRecommendation r = evaluation.recommendation();
      if (r.recommended() != null && (highest == null || r.recommended() > highest.recommended())) {
        highest = r;
      }
    }
    return highest;
  }

  /**
   * True when {@code count} is within the tolerance band around the desired count. Measured on
   * the rounded count, as rule 2 states: measured before rounding, demand worth 19.4 instances on
   * 18 stayed in the band while the Azure hour's ramp outran the fleet.
   */
  boolean withinTolerance(int count) {
    return Math.abs((long) count - desired) <= policy.targets().tolerance() * desired;
  }

  /**
   * True when going down to {@code count} removes no more than the tolerance band allows: nothing
   * to scale in (a count above the desired one included).
   */
  boolean removesWithinTolerance(int count) {
    return desired - (long) count <= policy.targets().tolerance() * desired;
  }

  /** True when the scale-in cooldown that started at the last scale-out has not yet passed. */
  boolean inScaleInCooldown() {
    var start = endpoint().cooldownStart();
    Duration cooldown = Duration.ofMinutes(policy.scaleIn().cooldownMinutes());
    return start != null && input.now().isBefore(start.plus(cooldown));
  }
}
