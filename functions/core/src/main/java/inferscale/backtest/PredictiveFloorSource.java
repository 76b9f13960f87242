package inferscale.backtest;

import inferscale.decision.PredictiveFloor;
import java.time.Instant;

/** Supplies the forecast floor to the engine policy, from what the view lets it know. */
public interface PredictiveFloorSource {
  /** The floor at the view's minute, or null when no forecast is available. */
  PredictiveFloor floorAt(SimulationView view, Instant now);
}
