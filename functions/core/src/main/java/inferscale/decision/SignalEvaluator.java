package inferscale.decision;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Turns one tracked signal's history into its recommendation. Stateless and pure. */
final class SignalEvaluator {
  private final PolicyConfig policy;
  private final int current;
  private final int serving;
  private final Instant now;

  /**
   * @param current the instance count asked for: capacity for the RPS and panic comparisons
   * @param serving the instances in service, whose own KV-cache and TTFT measurements scale
   */
  SignalEvaluator(PolicyConfig policy, int current, int serving, Instant now) {
    this.policy = policy;
    this.current = current;
    this.serving = serving;
    this.now = now;
  }

  SignalRecommendation evaluate(Signal signal, SignalSeries series) {
    List<SignalPoint> known = pointsUpToNow(series);
    if (known.isEmpty()) {
      return new SignalRecommendation(
          signal, Freshness.MISSING, null, null, target(signal), null, null, null);
    }
    SignalPoint newest = known.get(known.size() - 1);
    if (Duration.between(newest.timestamp(), now).compareTo(minutes(policy.stalenessMinutes())) > 0) {
      return new SignalRecommendation(
          signal, Freshness.STALE, null, newest.timestamp(), target(signal), null, null, null);
    }
    int newestIndex = known.size() - 1;
    double value = windowValue(signal, known, newestIndex);
    Double required = required(signal, value);
    Integer recommended = required == null ? null : InstanceCount.ceil(required);
    Integer stabilised = recommended;
    Instant stabilisationStart = newest.timestamp().minus(minutes(policy.stabilisationMinutes()));
    for (int i = newestIndex - 1; i >= 0 && known.get(i).timestamp().isAfter(stabilisationStart); i--) {
      Double pastRequired = required(signal, windowValue(signal, known, i));
      Integer past = pastRequired == null ? null : InstanceCount.ceil(pastRequired);
      if (past != null && (stabilised == null || past > stabilised)) {
        stabilised = past;
      }
    }
    return new SignalRecommendation(
        signal, Freshness.FRESH, value, newest.timestamp(), target(signal), required, recommended,
        stabilised);
  }

  /** True when RPS is in panic now (see {@link #panicAt}). */
  boolean panicNow(SignalSeries rps) {
    List<SignalPoint> known = pointsUpToNow(rps);
    return !known.isEmpty() && panicAt(known, known.size() - 1);
  }

  /** True when RPS was in panic at any minute of the panic hold period. */
  boolean panicWithin(SignalSeries rps, Duration period) {
    List<SignalPoint> known = pointsUpToNow(rps);
    Instant since = now.minus(period);
    for (int i = known.size() - 1; i >= 0 && known.get(i).timestamp().isAfter(since); i--) {
      if (panicAt(known, i)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Panic at point {@code end}: RPS over the threshold in every minute of the signal window ending
   * there. A lone busy minute (a batch job, a retry storm) is usually over before an instance
   * asked for now could serve; going straight to what it asks for, then coming down 10 % a cycle,
   * cost 4 % more than target tracking on a trace with such minutes. It still gets the normal step.
   */
  private boolean panicAt(List<SignalPoint> points, int end) {
    Instant windowStart = points.get(end).timestamp().minus(minutes(policy.signalWindowMinutes()));
    for (int i = end; i >= 0 && points.get(i).timestamp().isAfter(windowStart); i--) {
      if (points.get(i).value() <= policy.panicThreshold() * current * policy.targetRpsPerInstance()) {
        return false;
      }
    }
    return true;
  }

  double target(Signal signal) {
    return switch (signal) {
      case RPS -> policy.targetRpsPerInstance();
      case KV_CACHE -> policy.targetKvUsage();
      case QUEUE -> policy.targetWaitingPerInstance();
      case TTFT -> policy.ttftSloMs() == null ? 0 : policy.ttftSloMs();
    };
  }

  /** Fractional instances the signal asks for; null when TTFT meets its SLO. */
  private Double required(Signal signal, double value) {
    return switch (signal) {
      case RPS -> value / policy.targetRpsPerInstance();
      case KV_CACHE -> serving * value / policy.targetKvUsage();
      case QUEUE -> value / policy.targetWaitingPerInstance();
      case TTFT -> value > policy.ttftSloMs() ? serving * value / policy.ttftSloMs() : null;
    };
  }

  /** The aggregate of the window ending at point {@code end}: the signal window's minutes. */
  private double windowValue(Signal signal, List<SignalPoint> points, int end) {
    Instant windowStart = points.get(end).timestamp().minus(minutes(policy.signalWindowMinutes()));
    double sum = 0;
    double max = 0;
    int count = 0;
    for (int i = end; i >= 0 && points.get(i).timestamp().isAfter(windowStart); i--) {
      double value = points.get(i).value();
      sum += value;
      max = Math.max(max, value);
      count++;
    }
    return signal.aggregation() == Signal.Aggregation.MEAN ? sum / count : max;
  }

  /** The series' points up to now: a view, as the series is sorted and immutable. */
  private List<SignalPoint> pointsUpToNow(SignalSeries series) {
    List<SignalPoint> points = series.points();
    int end = points.size();
    while (end > 0 && points.get(end - 1).timestamp().isAfter(now)) {
      end--;
    }
    return points.subList(0, end);
  }

  private static Duration minutes(int minutes) {
    return Duration.ofMinutes(minutes);
  }
}
