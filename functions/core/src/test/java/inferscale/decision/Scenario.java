package inferscale.decision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Builds decision inputs for tests: signals end one minute before {@link #NOW}, as with a metric delay. */
final class Scenario {
  static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");

  private int current = 4;
  private String status = EndpointSnapshot.IN_SERVICE;
  private Instant lastModified = NOW.minus(Duration.ofHours(2));
  static final PolicyConfig ALL_SIGNALS = PolicyConfig.defaults().withBounds(1, 40)
      .withSignals(java.util.EnumSet.of(Signal.RPS, Signal.KV_CACHE, Signal.QUEUE), null);

  private PolicyConfig policy = ALL_SIGNALS;
  private final Map<Signal, SignalSeries> series = new EnumMap<>(Signal.class);
  private PredictiveFloor predictive;
  private ScheduledFloor scheduled;
  private Integer headroom;

  static Scenario withInstances(int current) {
    Scenario scenario = new Scenario();
    scenario.current = current;
    return scenario;
  }

  /** Per-minute values, oldest first; the newest point is {@code ageMinutes} before now. */
  static SignalSeries minutes(int ageMinutes, double... values) {
    List<SignalPoint> points = new ArrayList<>();
    Instant newest = NOW.minus(Duration.ofMinutes(ageMinutes));
    for (int i = 0; i < values.length; i++) {
      points.add(new SignalPoint(newest.minus(Duration.ofMinutes(values.length - 1L - i)), values[i]));
    }
    return new SignalSeries(points);
  }

  /** Flat history of {@code length} minutes ending one minute ago. */
  static SignalSeries flat(double value, int length) {
    double[] values = new double[length];
    java.util.Arrays.fill(values, value);
    return minutes(1, values);
  }

  /** Steady signals that ask for exactly the current count: RPS at target, KV at target, no queue. */
  Scenario steady() {
    series.put(Signal.RPS, flat(current * policy.targets().rpsPerInstance(), 15));
    series.put(Signal.KV_CACHE, flat(policy.targets().kvUsage(), 15));
    series.put(Signal.QUEUE, flat(0, 15));
    return this;
  }

  Scenario signal(Signal signal, SignalSeries values) {
    series.put(signal, values);
    return this;
  }

  Scenario rps(double... valuesOldestFirst) {
    return signal(Signal.RPS, minutes(1, valuesOldestFirst));
  }

  Scenario policy(PolicyConfig replacement) {
    policy = replacement;
    return this;
  }

  Scenario status(String replacement) {
    status = replacement;
    return this;
  }

  Scenario lastModifiedMinutesAgo(int minutes) {
    lastModified = NOW.minus(Duration.ofMinutes(minutes));
    return this;
  }

  /** A floor from a forecast that starts in the look-ahead window (nothing known before it). */
  Scenario predictiveFloor(int instances) {
    return predictiveFloor(instances, null);
  }

  /** A floor from a forecast that reaches back to now and needs {@code keep} until its end. */
  Scenario predictiveFloor(int instances, Integer keep) {
    predictive = new PredictiveFloor(instances, instances * policy.targets().rpsPerInstance(),
        NOW.plus(Duration.ofMinutes(12)), 10, keep, PredictiveFloor.Basis.UPPER_QUANTILE,
        policy.targets().rpsPerInstance());
    return this;
  }

  /** A floor from a forecast whose peak minute expects {@code peakRps}. */
  Scenario predictiveFloorPeaking(int instances, double peakRps) {
    predictive = new PredictiveFloor(instances, peakRps, NOW.plus(Duration.ofMinutes(12)), 10,
        instances, PredictiveFloor.Basis.UPPER_QUANTILE, policy.targets().rpsPerInstance());
    return this;
  }

  Scenario scheduledFloor(int instances) {
    scheduled = new ScheduledFloor(instances, "cron(0 8 ? * MON-FRI *) Europe/Berlin");
    return this;
  }

  Scenario headroom(Integer instances) {
    headroom = instances;
    return this;
  }

  DecisionInput input() {
    EndpointSnapshot endpoint = new EndpointSnapshot("llm-prod", "AllTraffic", "ml.g5.2xlarge",
        status, current, current, lastModified);
    return new DecisionInput(endpoint, new Signals(series), policy, predictive, scheduled,
        Headroom.reserved(headroom), NOW);
  }

  Decision decide() {
    return new DecisionEngine().decide(input());
  }
}
