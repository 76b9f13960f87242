package inferscale.backtest;

import inferscale.decision.DecisionEngine;
import inferscale.decision.DecisionInput;
import inferscale.decision.EndpointSnapshot;
import inferscale.decision.PolicyConfig;
import inferscale.decision.PredictiveFloor;
import inferscale.decision.Signal;
import inferscale.decision.SignalPoint;
import inferscale.decision.SignalSeries;
import inferscale.decision.Signals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * InferScale's own decision engine, fed the signals the simulated endpoint published, exactly as
 * the scaler Lambda feeds it CloudWatch data: the same {@link DecisionEngine}, no second policy.
 */
final class EnginePolicy implements ScalingPolicy {
  private final String name;
  private final PolicyConfig config;
  private final Instant origin;
  private final PredictiveFloorSource floors;
  private final int lookbackMinutes;
  private final DecisionEngine engine = new DecisionEngine();

  /**
   * @param origin wall-clock time of minute 0
   * @param floors the forecast floor, or null for the purely reactive engine
   */
  EnginePolicy(String name, PolicyConfig config, Instant origin, PredictiveFloorSource floors) {
    this.name = name;
    this.config = config.validated();
    this.origin = origin;
    this.floors = floors;
    this.lookbackMinutes = DecisionEngine.historyMinutes(this.config);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int desired(SimulationView view) {
    Instant now = at(view.minute());
    Instant lastModified = atOrNull(view.lastChangeMinute());
    // The scaler knows its own last scale-out from the decision metrics it publishes.
    Instant lastScaleOut = atOrNull(view.lastScaleOutMinute());
    // As on SageMaker, the endpoint is Updating until every instance asked for is serving.
    String status = view.serving() < view.requested()
        ? EndpointSnapshot.UPDATING : EndpointSnapshot.IN_SERVICE;
    EndpointSnapshot endpoint = new EndpointSnapshot("backtest", "AllTraffic", "simulated",
        status, view.serving(), view.requested(), lastModified, lastScaleOut);
    PredictiveFloor floor = floors == null ? null : floors.floorAt(view, now);
    DecisionInput input = new DecisionInput(
        endpoint, signals(view), config, floor, null, null, now);
    return engine.decide(input).to();
  }

  /** The tracked signals the simulated endpoint publishes (it has no TTFT). */
  private Signals signals(SimulationView view) {
    Map<Signal, SignalSeries> series = new EnumMap<>(Signal.class);
    for (Signal signal : List.of(Signal.RPS, Signal.KV_CACHE, Signal.QUEUE)) {
      if (config.tracks(signal)) {
        series.put(signal, series(view, signal));
      }
    }
    return new Signals(series);
  }

  private SignalSeries series(SimulationView view, Signal signal) {
    List<SignalPoint> points = new ArrayList<>();
    int newest = view.newestVisibleMinute();
    for (int m = newest - lookbackMinutes; m <= newest; m++) {
      if (view.hasData(m)) {
        double value = switch (signal) {
          case RPS -> view.demand(m) / 60.0;
          case KV_CACHE -> view.kvUsage(m);
          case QUEUE -> view.waiting(m);
          case TTFT -> throw new IllegalArgumentException("the simulation publishes no TTFT");
        };
        points.add(new SignalPoint(at(m), value));
      }
    }
    return new SignalSeries(points);
  }

  private Instant atOrNull(int minute) {
    return minute == Simulator.NEVER ? null : at(minute);
  }

  private Instant at(int minute) {
    return origin.plusSeconds(60L * minute);
  }
}
