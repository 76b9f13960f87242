package inferscale.control;

/**
 * Port: where the forecast step publishes. The scaler reads the forecast back through {@link
 * Telemetry} ({@link Series#FORECAST_UPPER_RPS}, {@link Series#FORECAST_EXPECTED_RPS}), in the same
 * read as its signals; where forecasts overlap a minute it reads their maximum.
 */
public interface ForecastStore {
  /** @throws PortFailure when publishing fails */
  void publish(ForecastPublication publication);

  /** Where this store publishes, in a word ({@code LIVE}, {@code DRY_RUN}, {@code SIMULATED}). */
  String channel();
}
