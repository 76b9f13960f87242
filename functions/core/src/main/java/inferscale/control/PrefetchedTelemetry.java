package inferscale.control;

import inferscale.decision.SignalPoint;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Telemetry whose cycle's first read was made ahead (by the fleet dispatcher, for many endpoints
 * in one request): that read is answered from what was read, once; any other read, or the same
 * one for another minute (the cycle ran later than planned), goes to {@code live}.
 */
public final class PrefetchedTelemetry implements Telemetry {
  private final Telemetry live;
  private final ScalerStep.ReadPlan plan;
  private Readings prefetched;

  public PrefetchedTelemetry(Telemetry live, ScalerStep.ReadPlan plan, Readings prefetched) {
    this.live = Objects.requireNonNull(live, "live");
    this.plan = Objects.requireNonNull(plan, "plan");
    this.prefetched = Objects.requireNonNull(prefetched, "prefetched");
  }

  @Override
  public Readings read(Set<Series> series, Instant from, Instant to) {
    if (prefetched == null || !from.equals(plan.from()) || !to.equals(plan.to())
        || !plan.series().containsAll(series)) {
      return live.read(series, from, to);
    }
    Map<Series, List<SignalPoint>> asked = new EnumMap<>(Series.class);
    for (Series s : series) {
      asked.put(s, prefetched.series().getOrDefault(s, List.of()));
    }
    prefetched = null;
    return new Readings(asked);
  }

  @Override
  public RequestHistory requestHistory(Instant end, int minutes) {
    return live.requestHistory(end, minutes);
  }

  @Override
  public List<SignalPoint> startupMinutes(String instanceType, Instant from, Instant to) {
    return live.startupMinutes(instanceType, from, to);
  }

  @Override
  public String forecastChannel() {
    return live.forecastChannel();
  }
}
