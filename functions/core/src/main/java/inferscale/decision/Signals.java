package inferscale.decision;

import java.util.EnumMap;
import java.util.Map;

/** The recent history of every signal; a signal nobody published is an empty series. */
public record Signals(Map<Signal, SignalSeries> series) {
  public Signals {
    EnumMap<Signal, SignalSeries> complete = new EnumMap<>(Signal.class);
    for (Signal signal : Signal.values()) {
      complete.put(signal, series.getOrDefault(signal, SignalSeries.empty()));
    }
    series = Map.copyOf(complete);
  }

  public static Signals none() {
    return new Signals(Map.of());
  }

  public SignalSeries get(Signal signal) {
    return series.get(signal);
  }

  /** A copy with one signal's series replaced. */
  public Signals with(Signal signal, SignalSeries replacement) {
    EnumMap<Signal, SignalSeries> copy = new EnumMap<>(series);
    copy.put(signal, replacement);
    return new Signals(copy);
  }
}
