package inferscale.backtest;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import inferscale.trace.Trace;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Live shadow scoring: what a deployed scaler recorded each minute (the count it asked for, the
 * count the endpoint had, the requests it saw) scored the way the backtest scores its policies,
 * with the same simulator, cold start and capacity: InferScale's asks as the {@code inferscale}
 * row, the endpoint's serving counts as the {@code actual} row.
 *
 * @param from the first minute scored: the first with requests from the first ask on
 * @param minutes minutes scored, through the last with requests while asks were recorded
 * @param muPerInstance requests per minute one instance serves, as scored
 * @param capacitySource where that came from (see {@link Backtest.PerInstanceCapacity})
 * @param inferscale InferScale's asks, scored
 * @param actual the endpoint's own scaling, scored
 */
@JsonPropertyOrder({"from", "minutes", "muPerInstance", "capacitySource", "inferscale",
    "actual"})
public record ShadowScore(Instant from, int minutes, double muPerInstance, String capacitySource,
    Scored inferscale, Scored actual) {

  /**
   * @param overCapacityMinutes minutes with requests beyond what the serving instances take
   */
  @JsonPropertyOrder({"instanceHours", "costRatio", "unservedPct", "overCapacityMinutes",
      "scaleEvents"})
  public record Scored(double instanceHours, double costRatio, double unservedPct,
      long overCapacityMinutes, int scaleEvents) {
    public static Scored of(PolicyResult result, int minutes) {
      return new Scored(result.instanceHours(), result.costRatio(), result.unservedPct(),
          Math.round(result.underProvisionedMinutesPct() * minutes / 100), result.scaleEvents());
    }
  }

  /**
   * Scores the recorded minutes from {@code start}: each array has one value a minute, {@code
   * NaN} where nothing was recorded. A minute without requests recorded between the first and
   * the last with requests had none (SageMaker publishes no Invocations then); an ask or a count
   * not recorded holds the one before. The score ends at the last ask: a scaler that stopped
   * recording asks for nothing after.
   *
   * @param asks the counts InferScale asked for (DesiredInstances), by the minute of the cycle
   * @param serving the endpoint's serving instances (CurrentInstances), likewise
   * @param requests the endpoint's requests (its Invocations), by the minute they came in
   * @param rpsPerInstance what one instance serves per second, or null for the backtest's
   *     default (the p99 minute over 20 instances: relative figures)
   * @return null when no minute has both an ask (at or before it) and requests
   */
  public static ShadowScore score(Instant start, double[] asks, double[] serving,
      double[] requests, Double rpsPerInstance, int coldStartMinutes) {
    int firstAsk = RecordedMinutes.first(asks, 0);
    int from = firstAsk < 0 ? -1 : RecordedMinutes.first(requests, firstAsk);
    int last = Math.min(RecordedMinutes.last(requests), RecordedMinutes.last(asks));
    if (from < 0 || last < from) {
      return null;
    }
    double[] demand = Arrays.copyOfRange(requests, from, last + 1);
    for (int t = 0; t < demand.length; t++) {
      demand[t] = Double.isNaN(demand[t]) ? 0 : demand[t];
    }
    Instant first = start.plus(Duration.ofMinutes(from));
    Trace trace = new Trace("shadow", first, demand, null, null);
    // Only the cold start matters to asks known in advance; the rest is the default timing's.
    BacktestParameters defaults = BacktestParameters.defaults();
    BacktestParameters parameters = new BacktestParameters(defaults.peakInstances(),
        defaults.timing().withColdStartMinutes(coldStartMinutes), defaults.targetUtilization())
        .withEndpoint(rpsPerInstance, null, null, null);
    Backtest.PerInstanceCapacity capacity = Backtest.capacity(trace, parameters);
    Simulator simulator = new Simulator(trace, parameters, capacity.requestsPerMinute());
    // Held over the whole record first, so the first scored minute keeps the ask made before it.
    PolicyRun asked = simulator.runScoringAll(
        ScriptedPolicy.asking("inferscale", heldSlice(asks, from, last)));
    PolicyRun actual = simulator.runScoringAll(ScriptedPolicy.observed(Backtest.ACTUAL,
        heldSlice(serving, from, last), coldStartMinutes));
    return new ShadowScore(first, demand.length, capacity.requestsPerMinute(), capacity.source(),
        Scored.of(asked.result(), demand.length),
        Scored.of(actual.result(), demand.length));
  }

  private static double[] heldSlice(double[] counts, int from, int last) {
    return Arrays.stream(RecordedMinutes.held(counts), from, last + 1).asDoubleStream().toArray();
  }
}
