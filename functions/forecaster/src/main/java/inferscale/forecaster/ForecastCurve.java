package inferscale.forecaster;

import java.util.Objects;

/**
 * A forecast for the minutes after a history: {@code point[h]} and {@code upper[h]} are requests
 * in the (h+1)-th minute after the history's last minute. Empty arrays when {@code status} says
 * why there is no forecast.
 */
public record ForecastCurve(String status, String note, double[] point, double[] upper) {
  public static final String OK = "OK";

  public ForecastCurve {
    Objects.requireNonNull(status, "status");
    point = point.clone();
    upper = upper.clone();
    if (point.length != upper.length) {
      throw new IllegalArgumentException("point and upper must cover the same minutes");
    }
  }

  public static ForecastCurve none(String status, String note) {
    return new ForecastCurve(status, note, new double[0], new double[0]);
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
