package inferscale.backtest;

import inferscale.trace.Trace;
import java.util.Arrays;

/**
 * Replays a trace through one policy, minute by minute, with the semantics of the design: an
 * instance asked for at t serves from t + coldStart and is billed from t; removal is immediate (the
 * newest, still-starting instances go first); the controller at t sees metrics up to t − delay;
 * gaps are neither scored nor visible. Also publishes the signals a real endpoint would: waiting
 * requests from a backlog that carries over while demand exceeds capacity, and KV-cache usage as
 * in-flight load over serving capacity (in tokens when the trace has them).
 */
public final class Simulator {
  /** A minute long before any trace, for events that never happened. */
  static final int NEVER = Integer.MIN_VALUE / 2;

  private final Trace trace;
  private final BacktestParameters parameters;
  private final double mu;
  private final double tokensPerRequest;
  /** Demand of the first minute with data: what the endpoint served before the trace. */
  private final double openingDemand;
  private final int openingInstances;
  private final double openingKvUsage;

  public Simulator(Trace trace, BacktestParameters parameters, double mu) {
    this.trace = trace;
    this.parameters = parameters;
    this.mu = mu;
    this.tokensPerRequest = trace.hasTokens() ? meanTokensPerRequest(trace) : Double.NaN;
    int first = 0;
    while (first < trace.length() - 1 && trace.isGap(first)) {
      first++;
    }
    this.openingDemand = trace.isGap(first) ? 0 : trace.requests(first);
    this.openingInstances = Math.max(1, instancesFor(openingDemand));
    this.openingKvUsage =
        trace.isGap(first) ? 0 : kvUsage(first, openingDemand, openingInstances * mu);
  }

  /**
   * Runs the policy from minute 0. The endpoint exists before the trace starts: it has served the
   * first minute's demand for a while with the instances that demand needs, and its metrics for
   * the minutes before the trace say so. Whatever the policy asks for at minute 0, seeing those
   * metrics, is granted already warm: every policy starts in its own steady state, a static fleet
   * is static from the start, and no policy pays for the trace's beginning.
   */
  public PolicyRun run(ScalingPolicy policy) {
    int length = trace.length();
    int scoredFrom = BacktestParameters.scoredFrom(length);
    State state = new State(length);
    state.add(openingInstances, Integer.MIN_VALUE);

    double billedMinutes = 0;
    double neededMinutes = 0;
    double demand = 0;
    double unserved = 0;
    int scoredMinutes = 0;
    int underProvisionedMinutes = 0;
    int scaleEvents = 0;
    double backlog = 0;
    for (int t = 0; t < length; t++) {
      state.minute = t;
      int wanted = Math.max(0, policy.desired(state));
      if (wanted != state.requested()) {
        if (wanted > state.requested()) {
          int readyAt = t == 0 ? Integer.MIN_VALUE : t + parameters.coldStartMinutes();
          state.add(wanted - state.requested(), readyAt);
          state.lastScaleOut = t;
        } else {
          state.size = wanted;
        }
        state.lastChange = t;
        if (t > 0 && t >= scoredFrom) {
          scaleEvents++;
        }
      }
      int ready = state.readyAt(t);
      state.ready[t] = ready;
      state.billed[t] = state.requested();
      if (trace.isGap(t)) {
        backlog = 0; // nothing is known across a gap
        continue;
      }
      double requests = trace.requests(t);
      double capacity = ready * mu;
      double load = requests + backlog;
      double served = Math.min(load, capacity);
      // Clients give up after about a minute, so the backlog never exceeds one minute's demand.
      backlog = Math.min(load - served, requests);
      state.waiting[t] = backlog;
      state.kvUsage[t] = kvUsage(t, load, capacity);
      if (t >= scoredFrom) {
        double missed = Math.max(0, requests - capacity);
        scoredMinutes++;
        billedMinutes += state.requested();
        neededMinutes += Math.max(1, instancesFor(requests));
        demand += requests;
        unserved += missed;
        if (missed > 0) {
          underProvisionedMinutes++;
        }
      }
    }
    PolicyResult result = new PolicyResult(
        policy.name(),
        billedMinutes / 60.0,
        neededMinutes == 0 ? 0 : billedMinutes / neededMinutes,
        demand == 0 ? 0 : 100.0 * unserved / demand,
        scoredMinutes == 0 ? 0 : 100.0 * underProvisionedMinutes / scoredMinutes,
        scaleEvents);
    return new PolicyRun(result, state.ready.clone(), state.billed.clone());
  }

  int instancesFor(double requests) {
    return (int) Math.ceil(requests / mu);
  }

  private double kvUsage(int t, double load, double capacity) {
    if (capacity <= 0) {
      return load > 0 ? 1 : 0;
    }
    if (trace.hasTokens()) {
      double backlogTokens = (load - trace.requests(t)) * tokensPerRequest;
      return Math.min(1, (trace.tokens(t) + backlogTokens) / (capacity * tokensPerRequest));
    }
    return Math.min(1, load / capacity);
  }

  private static double meanTokensPerRequest(Trace trace) {
    double tokens = 0;
    double requests = 0;
    for (int t = 0; t < trace.length(); t++) {
      if (!trace.isGap(t)) {
        tokens += trace.tokens(t);
        requests += trace.requests(t);
      }
    }
    return requests == 0 || tokens == 0 ? 1 : tokens / requests;
  }

  /** The fleet and the published metrics, seen by the policy through {@link SimulationView}. */
  private final class State implements SimulationView {
    /** Minute each instance starts serving, ascending: the newest requests are at the end. */
    private int[] readyAtMinute = new int[64];
    private int size;
    private int minute;
    private int lastChange = NEVER;
    private int lastScaleOut = NEVER;
    private final int[] ready;
    private final int[] billed;
    private final double[] waiting;
    private final double[] kvUsage;

    State(int length) {
      ready = new int[length];
      billed = new int[length];
      waiting = new double[length];
      kvUsage = new double[length];
    }

    void add(int count, int readyAt) {
      if (size + count > readyAtMinute.length) {
        readyAtMinute = Arrays.copyOf(readyAtMinute, Math.max(size + count, 2 * readyAtMinute.length));
      }
      Arrays.fill(readyAtMinute, size, size + count, readyAt);
      size += count;
    }

    int readyAt(int t) {
      int low = 0;
      int high = size;
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (readyAtMinute[mid] <= t) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      return low;
    }

    @Override
    public int minute() {
      return minute;
    }

    @Override
    public int requested() {
      return size;
    }

    @Override
    public int serving() {
      return readyAt(minute);
    }

    @Override
    public int lastChangeMinute() {
      return lastChange;
    }

    @Override
    public int lastScaleOutMinute() {
      return lastScaleOut;
    }

    @Override
    public int newestVisibleMinute() {
      return minute - parameters.metricDelayMinutes();
    }

    @Override
    public boolean hasData(int m) {
      return m <= newestVisibleMinute() && m < trace.length() && (m < 0 || !trace.isGap(m));
    }

    @Override
    public double demand(int m) {
      return m < 0 ? openingDemand : trace.requests(m);
    }

    @Override
    public int ready(int m) {
      return m < 0 ? openingInstances : ready[m];
    }

    @Override
    public double waiting(int m) {
      return m < 0 ? 0 : waiting[m];
    }

    @Override
    public double kvUsage(int m) {
      return m < 0 ? openingKvUsage : kvUsage[m];
    }

    @Override
    public double mu() {
      return mu;
    }
  }
}
