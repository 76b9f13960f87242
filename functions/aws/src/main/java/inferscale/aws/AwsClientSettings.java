package inferscale.aws;

import java.time.Duration;

/**
 * Timeouts and retries for every SDK client, chosen for a function that runs once a minute with a
 * 60-second Lambda timeout and whose every write is an absolute desired count.
 *
 * <ul>
 *   <li>Connect 2 s, socket read 5 s, attempt 5 s: the control-plane calls answer in well under a
 *       second; a stuck connection must fail fast enough to leave room for another attempt.
 *   <li>Whole call 15 s: the cycle makes at most six calls, so even a slow cycle finishes inside
 *       the function timeout instead of being killed half-way, with nothing logged.
 *   <li>Standard retry mode, 3 attempts: throttling and 5xx are retried with jittered backoff, but
 *       not for long, because the next scheduled run a minute later retries the whole cycle anyway
 *       and a desired count is idempotent.
 * </ul>
 *
 * {@code maxAttempts} honours the SDK's own {@code AWS_MAX_ATTEMPTS} / {@code aws.maxAttempts}
 * setting when present, so tests against an emulator can turn retries off (an emulator answers an
 * unimplemented call with HTTP 500, which would otherwise be retried).
 */
public record AwsClientSettings(
    Duration connectTimeout,
    Duration socketTimeout,
    Duration apiCallAttemptTimeout,
    Duration apiCallTimeout,
    int maxAttempts) {

  static final int DEFAULT_MAX_ATTEMPTS = 3;

  public static AwsClientSettings defaults() {
    return new AwsClientSettings(
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        Duration.ofSeconds(15),
        configuredMaxAttempts());
  }

  /** A longer whole-call budget for the forecaster's multi-page 28-day read. */
  public AwsClientSettings withApiCallTimeout(Duration timeout) {
    return new AwsClientSettings(
        connectTimeout, socketTimeout, apiCallAttemptTimeout, timeout, maxAttempts);
  }

  private static int configuredMaxAttempts() {
    String value = System.getProperty("aws.maxAttempts", System.getenv("AWS_MAX_ATTEMPTS"));
    if (value == null || value.isBlank()) {
      return DEFAULT_MAX_ATTEMPTS;
    }
    try {
      return Math.max(1, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return DEFAULT_MAX_ATTEMPTS;
    }
  }
}
