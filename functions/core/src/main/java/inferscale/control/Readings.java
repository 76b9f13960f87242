package inferscale.control;

import inferscale.decision.SignalPoint;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What one telemetry read returned: each series' points, oldest first; none is an empty list. */
public record Readings(Map<Series, List<SignalPoint>> series) {
  public Readings {
    EnumMap<Series, List<SignalPoint>> copy = new EnumMap<>(Series.class);
    series.forEach((s, points) -> copy.put(s, List.copyOf(points)));
    series = copy;
  }

  /** The series' points, oldest first. */
  public List<SignalPoint> get(Series s) {
    return series.getOrDefault(s, List.of());
  }

  /** The series' points before {@code time}. */
  List<SignalPoint> before(Series s, Instant time) {
    return get(s).stream().filter(p -> p.timestamp().isBefore(time)).toList();
  }

  /** The series' points from {@code time} on. */
  List<SignalPoint> from(Series s, Instant time) {
    return get(s).stream().filter(p -> !p.timestamp().isBefore(time)).toList();
  }
}
