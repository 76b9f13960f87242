package inferscale.backtest;

import inferscale.forecast.Forecaster;
import inferscale.forecast.HistoryFingerprint;
import inferscale.trace.Trace;

/**
 * Replays a trace through one policy, minute by minute, with the semantics of the design: an
 * instance asked for at t serves from t + coldStart and is billed from t; removal is immediate (the
 * newest, still-starting instances go first); the controller at t sees metrics up to t − delay;
 * gaps are neither scored nor visible. Also publishes the signals a real endpoint would: waiting
 * requests from a backlog that carries over while demand exceeds capacity, and KV-cache usage as
 * in-flight load over serving capacity (in tokens when the trace has them).
 */
public final class Simulator {
  private static final double MINUTES_PER_HOUR = 60;

  private final Trace trace;
  private final BacktestParameters parameters;
  private final double mu;
  private final double tokensPerRequest;
  /** Shared by every run: each forecast step knows its history by a window's fingerprint. */
  private final HistoryFingerprint.Index requestsIndex;

  public Simulator(Trace trace, BacktestParameters parameters, double mu) {
    this.trace = trace;
    this.parameters = parameters;
    this.mu = mu;
    this.tokensPerRequest = trace.hasTokens() ? meanTokensPerRequest(trace) : Double.NaN;
    double[] requests = new double[trace.length()];
    for (int m = 0; m < requests.length; m++) {
      requests[m] = trace.requests(m);
    }
    // A history may end before the trace begins (by the metric delay): twice the longest reaches.
    this.requestsIndex =
        new HistoryFingerprint.Index(requests, 2 * Forecaster.MAX_HISTORY_MINUTES);
  }

  /** Runs the policy over the whole trace. */
  public PolicyRun run(ScalingPolicy policy) {
    return run(policy, 0);
  }

  /**
   * Runs the policy from minute {@code from}; the minutes before it are the endpoint's history.
   * The endpoint exists before that minute: it has served that minute's demand (the first with
   * data from it) for a while with the instances that demand needs, and its metrics before the
   * trace say so. Whatever the policy asks for at minute {@code from}, seeing those metrics, is
   * granted already warm: every policy starts in its own steady state, a static fleet is static
   * from the start, and no policy pays for the trace's beginning.
   */
  public PolicyRun run(ScalingPolicy policy, int from) {
    return run(policy, from, Math.max(from, BacktestParameters.scoredFrom(trace.length())));
  }

  /**
   * Runs the policy over the whole trace and scores every minute, without the warm-up of long
   * traces: for asks recorded live, which need no history to learn from.
   */
  public PolicyRun runScoringAll(ScalingPolicy policy) {
    return run(policy, 0, 0);
  }

  private PolicyRun run(ScalingPolicy policy, int from, int scoredFrom) {
    int length = trace.length();
    State state = new State(length, from);

    double billedMinutes = 0;
    double neededMinutes = 0;
    double demand = 0;
    double unserved = 0;
    int scoredMinutes = 0;
    int underProvisionedMinutes = 0;
    int scaleEvents = 0;
    double backlog = 0;
    for (int t = from; t < length; t++) {
      state.minute = t;
      if (state.fleet.resize(Math.max(0, policy.desired(state)), t) && t > from
          && t >= scoredFrom) {
        scaleEvents++;
      }
      int serving = state.fleet.serving(t);
      state.serving[t] = serving;
      state.desired[t] = state.fleet.desired();
      if (trace.isGap(t)) {
        backlog = 0; // nothing is known across a gap
        continue;
      }
      double requests = trace.requests(t);
      double capacity = serving * mu;
      double load = requests + backlog;
      double served = Math.min(load, capacity);
      // Clients give up after about a minute, so the backlog never exceeds one minute's demand.
      backlog = Math.min(load - served, requests);
      state.waiting[t] = backlog;
      state.kvUsage[t] = kvUsageAt(t, load, capacity);
      if (t >= scoredFrom) {
        double missed = Math.max(0, requests - capacity);
        scoredMinutes++;
        billedMinutes += state.fleet.desired();
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
        billedMinutes / MINUTES_PER_HOUR,
        neededMinutes == 0 ? 0 : billedMinutes / neededMinutes,
        demand == 0 ? 0 : 100.0 * unserved / demand,
        scoredMinutes == 0 ? 0 : 100.0 * underProvisionedMinutes / scoredMinutes,
        scaleEvents);
    return new PolicyRun(result, state.serving.clone(), state.desired.clone());
  }

  /** The instances the endpoint opens with at minute {@code from}: what its demand needs. */
  public int openingInstances(int from) {
    return Math.max(1, instancesFor(openingDemand(from)));
  }

  /** Demand of the first minute with data from {@code from}: what the endpoint served before. */
  private double openingDemand(int from) {
    int first = firstWithData(from);
    return trace.isGap(first) ? 0 : trace.requests(first);
  }

  /** The first minute from {@code from} that is not a gap, or the trace's last minute. */
  private int firstWithData(int from) {
    int first = from;
    while (first < trace.length() - 1 && trace.isGap(first)) {
      first++;
    }
    return first;
  }

  int instancesFor(double requests) {
    return (int) Math.ceil(requests / mu);
  }

  private double kvUsageAt(int t, double load, double capacity) {
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
    private final int from;
    private final double openingDemand;
    private final int openingInstances;
    private final double openingKvUsage;
    private final Fleet fleet;
    private int minute;
    private final int[] serving;
    private final int[] desired;
    private final double[] waiting;
    private final double[] kvUsage;

    State(int length, int from) {
      this.from = from;
      this.openingDemand = openingDemand(from);
      this.openingInstances = openingInstances(from);
      int first = firstWithData(from);
      this.openingKvUsage =
          trace.isGap(first) ? 0 : kvUsageAt(first, openingDemand, openingInstances * mu);
      this.fleet = new Fleet(openingInstances, parameters.timing().coldStartMinutes(), from);
      serving = new int[length];
      desired = new int[length];
      waiting = new double[length];
      kvUsage = new double[length];
    }

    @Override
    public int minute() {
      return minute;
    }

    @Override
    public int desired() {
      return fleet.desired();
    }

    @Override
    public int serving() {
      return fleet.serving(minute);
    }

    @Override
    public String status() {
      return fleet.status(minute);
    }

    @Override
    public int lastChangeMinute() {
      return fleet.lastChangeMinute();
    }

    @Override
    public int newestVisibleMinute() {
      return minute - parameters.timing().metricDelayMinutes();
    }

    @Override
    public boolean recorded(int m) {
      return m < trace.length() && (m < 0 || !trace.isGap(m));
    }

    @Override
    public double demand(int m) {
      return m < 0 ? openingDemand : trace.requests(m);
    }

    @Override
    public HistoryFingerprint.Index requestsIndex() {
      return requestsIndex;
    }

    @Override
    public int serving(int m) {
      // This minute's count is stored once the policy has decided; until then it is the fleet's.
      return m < from ? openingInstances : m == minute ? fleet.serving(m) : serving[m];
    }

    @Override
    public double waiting(int m) {
      return m < from ? 0 : waiting[m];
    }

    @Override
    public double kvUsage(int m) {
      return m < from ? openingKvUsage : kvUsage[m];
    }

    @Override
    public double mu() {
      return mu;
    }
  }
}
