package inferscale.decision;

import inferscale.units.RequestRate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Turns one tracked signal's history into its evaluation: the recommendation and, for RPS, the
 * panic facts the scale-out and scale-in rules use. Stateless and pure.
 */
final class SignalEvaluator {
  /** Minutes of RPS history, up to now, on which the noise of per-minute demand is judged. */
  static final int NOISE_HISTORY_MINUTES = 60;
  /**
   * The fewest minute-to-minute changes in that history that the judgement needs: half an hour,
   * so that one busy spell in a short history is not taken for noise.
   */
  private static final int NOISE_MIN_CHANGES = 30;
  /**
   * Relative standard error of the RPS window's mean that a bursty, noisy series' window is
   * lengthened to reach: the window grows to (noise / mean / limit)² minutes, rounded down, up to
   * {@link #MAX_NOISE_WINDOW_MINUTES}. A target tracks the mean demand, and a mean of two noisy
   * minutes chases the noise: on the built-in trace (per-minute noise 30 % of the mean, so about
   * 9 minutes) InferScale's frontier saves 3-4 points more than target tracking at every target
   * tracking point (19.3 % instead of 16.1 % at 0.7), on bursty web-like and multimodal traffic
   * 2-6 points more at most points; smooth, high-volume series (noise under a tenth of the mean:
   * LLM fleets, the Azure and ServeGen traces) keep the policy's window and their figures. It
   * replaces one extra minute above 30 %, which barely moved either.
   */
  private static final double NOISE_LIMIT = 0.1;
  /**
   * The longest window the noise may ask for: a window's mean lags a real rise by half its length,
   * and panic mode, on the policy's own window, covers the sharp ones.
   */
  private static final int MAX_NOISE_WINDOW_MINUTES = 10;
  /**
   * Index of dispersion (variance over mean) of per-minute request counts above which demand is
   * bursty: twice what independent (Poisson) arrivals give. Thin Poisson traffic is noisy too,
   * but there the longer window left more unserved than target tracking.
   */
  private static final double BURSTY_DISPERSION = 2;
  /**
   * Per-minute noise, relative to the mean, under which traffic is smooth: many clients together,
   * whose rate moves as a level rather than in one client's bursts.
   */
  private static final double SMOOTH_NOISE = 0.1;
  /**
   * Noise standard deviations a minute's jump must exceed to be a level shift: more than five
   * standard deviations of a minute-to-minute change (√2 times the noise), which noise alone does
   * not reach. A ramp's minutes each climb less, and wait for panic's two minutes.
   */
  static final double SHIFT_NOISE_MULTIPLE = 8;

  private final PolicyConfig policy;
  private final int desired;
  private final int serving;
  private final Instant now;

  /**
   * @param desired the instance count asked for: capacity for the RPS and panic comparisons
   * @param serving the instances in service, whose own KV-cache and TTFT measurements scale
   */
  SignalEvaluator(PolicyConfig policy, int desired, int serving, Instant now) {
    this.policy = policy;
    this.desired = desired;
    this.serving = serving;
    this.now = now;
  }

  SignalEvaluation evaluate(Signal signal, SignalSeries series) {
    List<SignalPoint> known = pointsUpToNow(series);
    if (known.isEmpty()) {
      return new SignalEvaluation(new SignalRecommendation(
          signal, Freshness.MISSING, null, null, null, target(signal), null, null, null),
          false, false, false);
    }
    SignalPoint newest = known.get(known.size() - 1);
    if (Duration.between(newest.timestamp(), now)
        .compareTo(minutes(policy.freshness().stalenessMinutes())) > 0) {
      return new SignalEvaluation(new SignalRecommendation(signal, Freshness.STALE, null, null,
          newest.timestamp(), target(signal), null, null, null), false, false, false);
    }
    int newestIndex = known.size() - 1;
    boolean rps = signal == Signal.RPS;
    boolean shift = rps && levelShiftAt(known, newestIndex);
    boolean panic = shift || rps && panicAt(known, newestIndex);
    // In panic the rate has left its noise: a noise window would dilute the jump with the calm
    // minutes before it, and size the panic's scale-out on them; a level shift is its one minute.
    int window = shift ? 1
        : rps && !panic ? rpsWindowMinutes(known) : policy.freshness().signalWindowMinutes();
    double value = windowValue(signal, known, newestIndex, window);
    Double required = required(signal, value);
    Integer recommended = required == null ? null : InstanceCount.ceil(required);
    Integer stabilised = recommended;
    Instant stabilisationStart =
        newest.timestamp().minus(minutes(policy.scaleIn().stabilisationMinutes()));
    for (int i = newestIndex - 1; i >= 0 && known.get(i).timestamp().isAfter(stabilisationStart); i--) {
      Double pastRequired = required(signal, windowValue(signal, known, i, window));
      Integer past = pastRequired == null ? null : InstanceCount.ceil(pastRequired);
      if (past != null && (stabilised == null || past > stabilised)) {
        stabilised = past;
      }
    }
    SignalRecommendation recommendation = new SignalRecommendation(
        signal, Freshness.FRESH, value, window, newest.timestamp(), target(signal), required,
        recommended, stabilised);
    return new SignalEvaluation(recommendation, panic, shift,
        rps && panicWithin(known, minutes(policy.scaleIn().panicHoldMinutes())));
  }

  /**
   * The policy's signal window, longer when per-minute demand is bursty and noisy: when the noise
   * variance, from the minute-to-minute changes of the last hour (half their mean square, whatever
   * the slow trend), is over {@link #BURSTY_DISPERSION} times the mean count, the window whose
   * mean has a relative standard error of about {@link #NOISE_LIMIT}. Too little history keeps
   * the policy's window.
   */
  private int rpsWindowMinutes(List<SignalPoint> known) {
    int window = policy.freshness().signalWindowMinutes();
    Noise noise = noiseUpTo(known, known.size() - 1);
    if (noise == null || noise.variance() / noise.mean() <= BURSTY_DISPERSION) {
      return window;
    }
    // The fewest minutes whose mean has a relative standard error within the limit.
    double needed =
        Math.floor(noise.variance() / (noise.mean() * noise.mean() * NOISE_LIMIT * NOISE_LIMIT)
            + 1e-9);
    return (int) Math.max(window, Math.min(MAX_NOISE_WINDOW_MINUTES, needed));
  }

  /**
   * Per-minute requests' mean and noise variance (half the mean square of the minute-to-minute
   * changes, whatever the slow trend) over the hour ending at point {@code end}; null when that
   * hour holds too few changes to judge or no demand.
   */
  private static Noise noiseUpTo(List<SignalPoint> known, int end) {
    if (end < 0) {
      return null;
    }
    Instant since = known.get(end).timestamp().minus(minutes(NOISE_HISTORY_MINUTES));
    double sum = 0;
    double squaredChanges = 0;
    int count = 0;
    int changes = 0;
    for (int i = end; i >= 0 && known.get(i).timestamp().isAfter(since); i--) {
      sum += requestsPerMinute(known.get(i));
      count++;
      if (i > 0 && known.get(i - 1).timestamp().isAfter(since) && consecutive(known, i)) {
        double change = requestsPerMinute(known.get(i)) - requestsPerMinute(known.get(i - 1));
        squaredChanges += change * change;
        changes++;
      }
    }
    double mean = count == 0 ? 0 : sum / count;
    return changes < NOISE_MIN_CHANGES || mean <= 0
        ? null : new Noise(mean, squaredChanges / (2.0 * changes));
  }

  private record Noise(double mean, double variance) {}

  /** Only changes from one minute to the next: a change across missing minutes is not noise. */
  private static boolean consecutive(List<SignalPoint> known, int i) {
    return known.get(i - 1).timestamp().plus(minutes(1)).equals(known.get(i).timestamp());
  }

  /**
   * A level shift at point {@code end}, a counted minute: on smooth traffic (the hour before
   * noisy by less than {@link #SMOOTH_NOISE} of its mean, and no less than Poisson arrivals are,
   * so at least 100 requests a minute), RPS over the panic threshold, having jumped from the
   * minute before by more than {@link #SHIFT_NOISE_MULTIPLE} times that noise. Such a jump is the
   * aggregate's level moving, and it holds; the endpoint, updating for a cold start once asked,
   * takes no second ask until then, so waiting a minute for panic, or asking on a mean with the
   * calm minute, leaves it short a cold start longer. On thin or bursty traffic a jump that size
   * is as often a batch job of a few minutes, over before an instance asked for it serves; and a
   * minute carried from the requests in flight may be a few long requests, not a higher rate.
   */
  private boolean levelShiftAt(List<SignalPoint> known, int end) {
    Noise noise = noiseUpTo(known, end - 1);
    if (noise == null || known.get(end).estimated() || !consecutive(known, end)
        || known.get(end).value() <= panicThreshold()) {
      return false;
    }
    double noiseDeviation = Math.sqrt(Math.max(noise.variance(), noise.mean()));
    double jump = requestsPerMinute(known.get(end)) - requestsPerMinute(known.get(end - 1));
    return noiseDeviation < SMOOTH_NOISE * noise.mean()
        && jump > SHIFT_NOISE_MULTIPLE * noiseDeviation;
  }

  /** RPS points are per second; the noise is judged on per-minute request counts. */
  private static double requestsPerMinute(SignalPoint rps) {
    return RequestRate.ofPerSecond(rps.value()).perMinute();
  }

  /** True when RPS was in panic at any minute of the panic hold period. */
  private boolean panicWithin(List<SignalPoint> known, Duration period) {
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
   * there, none of them missing. A lone busy minute (a batch job, a retry storm) is usually over
   * before an instance asked for now could serve; going straight to what it asks for, then coming
   * down 10 % a cycle, cost 4 % more than target tracking on a trace with such minutes. It still
   * gets the normal step.
   */
  private boolean panicAt(List<SignalPoint> points, int end) {
    int window = policy.freshness().signalWindowMinutes();
    Instant windowStart = points.get(end).timestamp().minus(minutes(window));
    double threshold = panicThreshold();
    int minutesOver = 0;
    for (int i = end; i >= 0 && points.get(i).timestamp().isAfter(windowStart); i--) {
      if (points.get(i).value() <= threshold) {
        return false;
      }
      minutesOver++;
    }
    return minutesOver >= window;
  }

  /** RPS beyond which a minute is in panic: the threshold's multiple of the capacity asked for. */
  private double panicThreshold() {
    return policy.scaleOut().panicThreshold() * desired * policy.targets().rpsPerInstance();
  }

  private double target(Signal signal) {
    PolicyConfig.Targets targets = policy.targets();
    return switch (signal) {
      case RPS -> targets.rpsPerInstance();
      case KV_CACHE -> targets.kvUsage();
      case QUEUE -> targets.waitingPerInstance();
      case TTFT -> targets.ttftSloMs() == null ? 0 : targets.ttftSloMs();
      case CONCURRENCY ->
          targets.concurrencyPerInstance() == null ? 0 : targets.concurrencyPerInstance();
    };
  }

  /** Fractional instances the signal asks for; null when TTFT meets its SLO. */
  private Double required(Signal signal, double value) {
    PolicyConfig.Targets targets = policy.targets();
    return switch (signal) {
      case RPS -> value / targets.rpsPerInstance();
      case KV_CACHE -> serving * value / targets.kvUsage();
      case QUEUE -> value / targets.waitingPerInstance();
      case TTFT -> value > targets.ttftSloMs() ? serving * value / targets.ttftSloMs() : null;
      case CONCURRENCY -> serving * value / targets.concurrencyPerInstance();
    };
  }

  /** The aggregate of the {@code window} minutes ending at point {@code end}. */
  private double windowValue(Signal signal, List<SignalPoint> points, int end, int window) {
    Instant windowStart = points.get(end).timestamp().minus(minutes(window));
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
