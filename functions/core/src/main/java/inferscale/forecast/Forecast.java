package inferscale.forecast;

import java.util.List;
import java.util.Objects;

/**
 * Forecast of request demand for the minutes after a history: {@code point[h]} and {@code
 * upper[h]} are requests in the (h+1)-th minute after the last minute of the history. Both arrays
 * are copied in and out, so a forecast never changes. When {@link #status()} is not {@link
 * ForecastStatus#OK} both arrays are empty.
 *
 * @param status OK, or why no forecast was made
 * @param seasonality the cycle the forecast repeats
 * @param point expected requests per minute, finite and non-negative
 * @param upper the configured upper quantile of requests per minute, never below {@code point}
 * @param blends how the point forecast combined candidate methods, band by band of horizons;
 *     empty for a single method
 */
public record Forecast(ForecastStatus status, Seasonality seasonality, double[] point,
    double[] upper, List<Blend> blends) {

  public Forecast {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(seasonality, "seasonality");
    point = point.clone();
    upper = upper.clone();
    blends = List.copyOf(blends);
    if (point.length != upper.length) {
      throw new IllegalArgumentException("point and upper must cover the same minutes");
    }
  }

  /** A forecast of a single method. */
  public Forecast(ForecastStatus status, Seasonality seasonality, double[] point, double[] upper) {
    this(status, seasonality, point, upper, List.of());
  }

  /** The answer for a history too short to forecast from. */
  public static Forecast insufficientHistory() {
    return new Forecast(
        ForecastStatus.FORECAST_INSUFFICIENT_HISTORY, Seasonality.NONE, new double[0], new double[0]);
  }

  public boolean isOk() {
    return status == ForecastStatus.OK;
  }

  /** Number of minutes forecast. */
  public int horizonMinutes() {
    return point.length;
  }

  @Override
  public double[] point() {
    return point.clone();
  }

  @Override
  public double[] upper() {
    return upper.clone();
  }
}
