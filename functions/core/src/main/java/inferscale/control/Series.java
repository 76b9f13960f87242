package inferscale.control;

import inferscale.decision.Signal;

/** The per-minute series the steps read, each in the unit its metric is published in. */
public enum Series {
  /** Requests counted in each minute (SageMaker's {@code Invocations}, statistic Sum). */
  REQUESTS,
  /** Requests the policy's fallback variant counted in each minute (its {@code Invocations}). */
  FALLBACK_REQUESTS,
  /**
   * Requests that found nothing serving in each minute ({@code NoCapacityInvocationFailures},
   * Sum): an inference component at zero copies counts no invocations, yet this is its demand.
   */
  NO_CAPACITY_REQUESTS,
  /** Requests per serving instance in each minute ({@code InvocationsPerInstance}, Sum). */
  REQUESTS_PER_INSTANCE,
  /** KV-cache usage, 0..1, the minute's maximum. */
  KV_CACHE_USAGE,
  /** Requests waiting in the server's queue, the minute's maximum. */
  WAITING_REQUESTS,
  /** Time to first token, p90, milliseconds. */
  TTFT_P90_MS,
  /**
   * In-flight requests per serving instance, the minute's mean of 10-second points: high
   * resolution, so the newest (partial) minute is already there.
   */
  CONCURRENT_REQUESTS,
  /** The published forecast's upper quantile, requests per second, per future minute. */
  FORECAST_UPPER_RPS,
  /** The published forecast's expected rate, requests per second, per future minute. */
  FORECAST_EXPECTED_RPS,
  /** 1 in each minute the scaler applied a scale-out: its own record, read back. */
  SCALE_OUTS,
  /** The target utilisation the unserved budget's controller set each minute: its own record. */
  BUDGET_UTILIZATION,
  /** With targets.floorBand, the band the budget's controller set each minute: its own record. */
  BUDGET_FLOOR_BAND,
  /** The budget's week tallied: its burn, percent, at the minute tallied (its own record). */
  BUDGET_WEEK_BURN,
  /** The minutes with requests in that week, at the same minute (its own record). */
  BUDGET_WEEK_MINUTES,
  /** The week's last day, tallied with it: its burn, percent, at the same minute (own record). */
  BUDGET_DAY_BURN,
  /** The minutes with requests in that day, at the same minute (its own record). */
  BUDGET_DAY_MINUTES,
  /**
   * The cold start the scaler tallied from timed scale-outs (the policy's until enough are timed),
   * at each minute it tallied them, once an hour (its own record): later cycles recall it, and the
   * forecaster publishes far enough ahead for it.
   */
  LEARNED_COLD_START,
  /** The timed scale-outs that tally counted, at the same minute (its own record). */
  LEAD_UPDATES;

  /** The series a signal is computed from. */
  public static Series of(Signal signal) {
    return switch (signal) {
      case RPS -> REQUESTS;
      case KV_CACHE -> KV_CACHE_USAGE;
      case QUEUE -> WAITING_REQUESTS;
      case TTFT -> TTFT_P90_MS;
      case CONCURRENCY -> CONCURRENT_REQUESTS;
    };
  }
}
