package inferscale.control;

import inferscale.decision.EndpointSnapshot;
import inferscale.decision.SignalPoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps' ports as plain objects for core tests: series set by hand, reads and writes
 * recorded, failures injected. (The AWS adapters are tested against the emulator; these test the
 * steps.)
 */
final class FakePorts
    implements Telemetry, ForecastStore, EndpointControl, Capacity, PauseSwitch, ScalerRecord {
  static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");

  final Map<Series, List<SignalPoint>> series = new EnumMap<>(Series.class);
  double[] history = new double[0];
  /** Indexes into {@link #history} of its saturated minutes. */
  final BitSet saturated = new BitSet();
  EndpointSnapshot snapshot = new EndpointSnapshot("llm", "AllTraffic", "ml.g5.2xlarge",
      EndpointSnapshot.IN_SERVICE, 4, 4, NOW.minus(Duration.ofDays(1)));
  boolean paused;
  String failureReason;
  float weight = 1;
  LastAsk lastAsk;
  VariantState fallback;
  /** For an inference component whose copies cannot be counted, why; else null. */
  String hostingNote;
  final List<LastAsk> remembered = new ArrayList<>();
  final List<FallbackPlan> fallbackUpdates = new ArrayList<>();
  /** Minutes of each timed scale-out, as the scalers published them. */
  final List<SignalPoint> startups = new ArrayList<>();
  int startupReads;
  Duration updateBudget = Duration.ofSeconds(17);
  CapacityCheck capacity = new CapacityCheck("reservations", "g5.2xlarge", 20, 1, null);
  PortFailure capacityFailure;
  PortFailure updateFailure;
  PortFailure rememberFailure;
  PortFailure pauseFailure;

  final List<Object[]> reads = new ArrayList<>();
  final List<Object[]> historyReads = new ArrayList<>();
  final List<Integer> updates = new ArrayList<>();
  final List<ForecastPublication> published = new ArrayList<>();
  final List<ScalerOutcome> recorded = new ArrayList<>();
  int capacityLookups;

  Clock clock(Instant at) {
    return Clock.fixed(at, ZoneOffset.UTC);
  }

  /** Per-minute values of a series, oldest first, the newest {@code ageMinutes} before NOW. */
  FakePorts minutes(Series s, int ageMinutes, double... values) {
    List<SignalPoint> points = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      points.add(new SignalPoint(
          NOW.minus(Duration.ofMinutes(ageMinutes + values.length - 1L - i)), values[i]));
    }
    series.put(s, points);
    return this;
  }

  /** A flat hour of {@code perMinute} requests, the newest two minutes old (the metric delay). */
  FakePorts requests(double perMinute) {
    double[] hour = new double[60];
    Arrays.fill(hour, perMinute);
    return minutes(Series.REQUESTS, 2, hour);
  }

  @Override
  public Readings read(Set<Series> wanted, Instant from, Instant to) {
    reads.add(new Object[] {Set.copyOf(wanted), from, to});
    Map<Series, List<SignalPoint>> read = new EnumMap<>(Series.class);
    for (Series s : wanted) {
      read.put(s, series.getOrDefault(s, List.of()).stream()
          .filter(p -> !p.timestamp().isBefore(from) && p.timestamp().isBefore(to)).toList());
    }
    return new Readings(read);
  }

  @Override
  public RequestHistory requestHistory(Instant end, int minutes) {
    historyReads.add(new Object[] {end, minutes});
    double[] read = new double[minutes];
    Arrays.fill(read, Double.NaN);
    System.arraycopy(history, 0, read, minutes - history.length, history.length);
    BitSet saturatedRead = new BitSet();
    saturated.stream().forEach(i -> saturatedRead.set(minutes - history.length + i));
    return new RequestHistory(read, saturatedRead);
  }

  @Override
  public String forecastChannel() {
    return "TEST";
  }

  @Override
  public void publish(ForecastPublication publication) {
    published.add(publication);
  }

  @Override
  public String channel() {
    return "TEST";
  }

  @Override
  public EndpointState read() {
    return new EndpointState(snapshot, paused, weight, failureReason, lastAsk, fallback, null,
        hostingNote);
  }

  @Override
  public void setDesiredInstances(EndpointState asRead, int count, FallbackPlan plan) {
    if (updateFailure != null) {
      throw updateFailure;
    }
    updates.add(count);
    fallbackUpdates.add(plan);
  }

  @Override
  public void remember(LastAsk ask) {
    if (rememberFailure != null) {
      throw rememberFailure;
    }
    remembered.add(ask);
    lastAsk = ask;
  }

  @Override
  public List<SignalPoint> startupMinutes(String instanceType, Instant from, Instant to) {
    startupReads++;
    return startups.stream()
        .filter(p -> !p.timestamp().isBefore(from) && p.timestamp().isBefore(to)).toList();
  }

  @Override
  public Duration updateBudget() {
    return updateBudget;
  }

  @Override
  public CapacityCheck headroom(String instanceType) {
    capacityLookups++;
    if (capacityFailure != null) {
      throw capacityFailure;
    }
    return capacity;
  }

  @Override
  public void record(ScalerOutcome outcome) {
    recorded.add(outcome);
  }

  @Override
  public boolean paused() {
    if (pauseFailure != null) {
      throw pauseFailure;
    }
    return paused;
  }
}
