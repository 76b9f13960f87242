package inferscale.forecast;

/**
 * Settings of the standard forecaster. The defaults were chosen on walk-forward evaluations and
 * hold across traces; no setting is meant to be tuned per endpoint.
 *
 * @param upperQuantile the quantile {@link Forecast#upper()} estimates, in (0.5, 1); default 0.9
 * @param smoothingMinutes half-width of the window averaged around each minute of a past day or
 *     week, so the profile follows demand rather than per-minute noise; default 30
 * @param residualDays how many recent days of replayed forecasts the upper quantile is estimated
 *     from; default 7
 */
public record ForecasterConfig(
    double upperQuantile, int smoothingMinutes, int residualDays) {

  public ForecasterConfig {
    if (!(upperQuantile > 0.5 && upperQuantile < 1)) {
      throw new IllegalArgumentException("upperQuantile must be in (0.5, 1), got " + upperQuantile);
    }
    if (smoothingMinutes < 0 || smoothingMinutes > 120) {
      throw new IllegalArgumentException(
          "smoothingMinutes must be in [0, 120], got " + smoothingMinutes);
    }
    if (residualDays < 1 || residualDays > 27) {
      throw new IllegalArgumentException("residualDays must be in [1, 27], got " + residualDays);
    }
  }

  public static ForecasterConfig defaults() {
    return new ForecasterConfig(0.9, 30, 7);
  }

  /** These settings with another upper quantile. */
  public ForecasterConfig withUpperQuantile(double quantile) {
    return new ForecasterConfig(quantile, smoothingMinutes, residualDays);
  }
}
