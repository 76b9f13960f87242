package inferscale.decision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A signal's recent per-minute history, oldest first. Points that are not finite or are negative
 * carry no information and are dropped on construction, so every consumer sees the same data.
 */
public record SignalSeries(List<SignalPoint> points) {
  private static final SignalSeries EMPTY = new SignalSeries(List.of());

  public SignalSeries {
    List<SignalPoint> usable = new ArrayList<>();
    for (SignalPoint point : points) {
      if (Double.isFinite(point.value()) && point.value() >= 0) {
        usable.add(point);
      }
    }
    usable.sort(Comparator.comparing(SignalPoint::timestamp));
    points = List.copyOf(usable);
  }

  public static SignalSeries empty() {
    return EMPTY;
  }

  public static SignalSeries of(SignalPoint... points) {
    return new SignalSeries(List.of(points));
  }

  public boolean isEmpty() {
    return points.isEmpty();
  }
}
