package inferscale.control;

import inferscale.decision.EndpointSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The scaler's record of its last change to the endpoint, kept with the endpoint (a tag on AWS)
 * so that every run, cold or concurrent, sees it: when it asked, from which count to which, and
 * how the ask ended. It makes a second run in the same minute decide from the count the minute
 * started with (no doubled scale-out), times each scale-out to InService (the learned start-up
 * delay), and carries the back-off after an ask that found no capacity.
 *
 * @param at when the ask was made
 * @param failures asks in a row that found no capacity
 * @param retryAt no scale-out is asked for before this, after one that found no capacity; or null
 */
public record LastAsk(Instant at, int from, int to, Outcome outcome, int failures,
    Instant retryAt) {

  /** How the ask ended, as far as the scaler has seen. */
  public enum Outcome {
    /** Asked; not yet served. */
    PENDING,
    /** The endpoint reached the count asked for. */
    SERVED,
    /** SageMaker could not provision the instances, or they did not come in time. */
    NO_CAPACITY
  }

  /** Back-off after the first failure, doubled each time, up to {@link #MAX_BACKOFF}. */
  static final Duration FIRST_BACKOFF = Duration.ofMinutes(2);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(60);
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  public LastAsk {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(outcome, "outcome");
    if (from < 0 || to < 0 || failures < 0) {
      throw new IllegalArgumentException("counts cannot be negative");
    }
  }

  /** A new ask at {@code at}, carrying the failures so far (a retry after a back-off). */
  public static LastAsk asked(Instant at, int from, int to, LastAsk previous) {
    return new LastAsk(at, from, to, Outcome.PENDING,
        previous == null ? 0 : previous.failures, null);
  }

  /** True when this ask was made in the minute starting at {@code minute}. */
  public boolean madeInMinute(Instant minute) {
    return !at.isBefore(minute) && at.isBefore(minute.plus(Duration.ofMinutes(1)));
  }

  public boolean scaleOut() {
    return to > from;
  }

  /** True while a scale-out must wait for the back-off after one that found no capacity. */
  public boolean backingOff(Instant now) {
    return outcome == Outcome.NO_CAPACITY && retryAt != null && now.isBefore(retryAt);
  }

  /**
   * This ask as the endpoint shows it now: served once InService at the count asked for (at least
   * it, for a scale-out, also after it was given up for lack of capacity); no capacity when
   * SageMaker rolled a scale-out back for lack of capacity (InService again, short of the count,
   * with a failure reason since the ask that says so) or when the count has not come within
   * {@code timeout}. Otherwise unchanged.
   *
   * @param jitter in [0, 1), for the back-off
   */
  public LastAsk settle(EndpointState state, Instant now, Duration timeout, double jitter) {
    EndpointSnapshot endpoint = state.snapshot();
    boolean reached = endpoint.inService() && (scaleOut()
        ? endpoint.servingInstances() >= to : endpoint.servingInstances() <= to);
    if (outcome == Outcome.NO_CAPACITY && scaleOut() && reached) {
      return served(); // late, after SageMaker's own retries: not a start-up time to learn from
    }
    if (outcome != Outcome.PENDING) {
      return this;
    }
    if (reached) {
      return served();
    }
    // Only a failure since this ask (SageMaker keeps the reason until the next update), give or
    // take a minute between the scaler's clock and SageMaker's.
    boolean rolledBack = endpoint.inService() && state.failureReason() != null
        && state.failureReason().toLowerCase(Locale.ROOT).contains("capacity")
        && (endpoint.lastModifiedTime() == null
            || !endpoint.lastModifiedTime().isBefore(at.minus(CLOCK_SKEW)));
    if (scaleOut() && (rolledBack || !now.isBefore(at.plus(timeout)))) {
      return noCapacity(now, jitter);
    }
    return this;
  }

  /** This ask, served. */
  public LastAsk served() {
    return new LastAsk(at, from, to, Outcome.SERVED, 0, null);
  }

  /**
   * This ask, failed for lack of capacity at {@code now}: exponential back-off with "equal
   * jitter" (half the delay fixed, half random), so endpoints that failed together do not retry
   * together. {@code jitter} in [0, 1) comes from the caller, which keeps this pure.
   */
  public LastAsk noCapacity(Instant now, double jitter) {
    int failed = failures + 1;
    long doubled = FIRST_BACKOFF.toSeconds() << Math.min(failed - 1, 20);
    long delay = Math.min(MAX_BACKOFF.toSeconds(), doubled);
    long seconds = delay / 2 + (long) (delay / 2.0 * jitter);
    return new LastAsk(at, from, to, Outcome.NO_CAPACITY, failed, now.plusSeconds(seconds));
  }
}
