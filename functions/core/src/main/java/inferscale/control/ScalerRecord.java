package inferscale.control;

/**
 * Port: where the scaler keeps its record of each cycle. The scaler reads the record of applied
 * scale-outs back through {@link Telemetry} ({@link Series#SCALE_OUTS}): the scale-in cooldown
 * counts from it. Adapters: the function's Embedded Metric Format log line, which CloudWatch turns
 * into metrics, in the functions; the simulated CloudWatch in the backtest.
 */
@FunctionalInterface
public interface ScalerRecord {
  void record(ScalerOutcome outcome);
}
