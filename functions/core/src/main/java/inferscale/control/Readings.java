package inferscale.control;

import inferscale.decision.SignalPoint;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * What one telemetry read returned: each series' points, oldest first (sorted here, whatever the
 * adapter's order); none is an empty list.
 */
public record Readings(Map<Series, List<SignalPoint>> series) {
  public Readings {
    EnumMap<Series, List<SignalPoint>> copy = new EnumMap<>(Series.class);
    series.forEach((s, points) -> copy.put(s,
        points instanceof OldestFirst ? points : oldestFirst(points)));
    series = copy;
  }

  /**
   * The points oldest first, unmodifiable: as they are when they already are (a port's read hands
   * over lists it made for this read and keeps no hold on; the backtest reads an hour or more of
   * them every simulated minute), else sorted into a copy.
   */
  private static List<SignalPoint> oldestFirst(List<SignalPoint> points) {
    for (int i = 1; i < points.size(); i++) {
      if (points.get(i).timestamp().isBefore(points.get(i - 1).timestamp())) {
        List<SignalPoint> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparing(SignalPoint::timestamp));
        return Collections.unmodifiableList(sorted);
      }
    }
    return Collections.unmodifiableList(points);
  }

  /**
   * Points their maker put oldest first (the simulation's minutes, in order by construction):
   * taken as they are, not walked to check, as the backtest reads an hour or more every minute.
   */
  public static List<SignalPoint> oldestFirstAlready(List<SignalPoint> points) {
    return new OldestFirst(points);
  }

  private static final class OldestFirst extends AbstractList<SignalPoint>
      implements RandomAccess {
    private final List<SignalPoint> points;

    OldestFirst(List<SignalPoint> points) {
      this.points = points;
    }

    @Override
    public SignalPoint get(int index) {
      return points.get(index);
    }

    @Override
    public int size() {
      return points.size();
    }

    @Override
    public <T> T[] toArray(T[] into) {
      return points.toArray(into);
    }
  }

  /** The series' points, oldest first. */
  public List<SignalPoint> get(Series s) {
    return series.getOrDefault(s, List.of());
  }

  /** The series' points before {@code time}. */
  List<SignalPoint> before(Series s, Instant time) {
    List<SignalPoint> points = get(s);
    return points.subList(0, firstFrom(points, time));
  }

  /** The series' points from {@code start} and before {@code end}. */
  List<SignalPoint> between(Series s, Instant start, Instant end) {
    List<SignalPoint> points = get(s);
    int first = firstFrom(points, start);
    return points.subList(first, Math.max(first, firstFrom(points, end)));
  }

  /** The series' points from {@code time} on. */
  List<SignalPoint> from(Series s, Instant time) {
    List<SignalPoint> points = get(s);
    return points.subList(firstFrom(points, time), points.size());
  }

  /** The index of the first point at or after {@code time}: the points are oldest first. */
  private static int firstFrom(List<SignalPoint> points, Instant time) {
    int low = 0;
    int high = points.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (points.get(mid).timestamp().isBefore(time)) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
