package inferscale.aws.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.aws.ScalerWiring;
import inferscale.aws.adapters.AccountQuotas;
import inferscale.aws.adapters.AwsFailures;
import inferscale.aws.adapters.CloudWatchMetricsReader;
import inferscale.aws.adapters.CloudWatchTelemetry;
import inferscale.aws.adapters.DecisionMetrics;
import inferscale.aws.adapters.FleetDirectory;
import inferscale.aws.adapters.FleetQueue;
import inferscale.aws.adapters.InferScaleMetrics;
import inferscale.aws.adapters.MetricQuery;
import inferscale.aws.adapters.MetricTarget;
import inferscale.aws.adapters.MetricsReader;
import inferscale.aws.invocation.Deployment;
import inferscale.aws.invocation.FleetTurnMessage;
import inferscale.aws.invocation.InvalidRequestException;
import inferscale.aws.invocation.LogLine;
import inferscale.aws.invocation.ScalerInvocation;
import inferscale.control.PortFailure;
import inferscale.control.Readings;
import inferscale.control.ScalerStep;
import inferscale.control.ScalerTask;
import inferscale.decision.SignalPoint;
import inferscale.fleet.EndpointTags;
import inferscale.fleet.FleetTurn;
import inferscale.fleet.QuotaShare;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One fleet cycle: find the endpoints tagged {@value EndpointTags#ENABLED} (the directory is kept
 * between cycles and read again every few minutes), turn each one's tags into the request the
 * scaler (or the forecaster) carries out, and send one message per endpoint to the function's FIFO
 * queue. An endpoint whose tags are invalid is skipped with an error naming the tag and field;
 * every other one still runs.
 *
 * <p>For the scaler, the dispatcher also makes every endpoint's first read ahead, in as few
 * GetMetricData requests as 500 queries a request allow, and shares each instance type's account
 * quota among the endpoints that want more of it by their {@code priority}.
 */
public final class FleetDispatcher {
  /** Which function the turns are for. */
  public enum FanOut { SCALER, FORECASTER }

  private static final String FORECAST_INTERVAL = "timing.forecastIntervalMinutes";
  /** How far back the scalers' last records (needed counts) are looked for. */
  static final Duration RECORD_LOOKBACK = Duration.ofMinutes(5);
  /** How long the account's quotas are kept: they change by hand, rarely. */
  static final Duration QUOTA_REFRESH = Duration.ofHours(1);

  private final FleetDirectory directory;
  private final AccountQuotas quotas;
  private final FleetQueue queue;
  private final MetricsReader metrics;
  private final Clock clock;
  private final Duration directoryRefresh;
  private List<FleetDirectory.Endpoint> endpoints;
  private List<FleetDirectory.Component> components;
  private Instant endpointsReadAt;
  private Map<String, Integer> quotaLimits;
  private Instant quotasReadAt;

  /**
   * @param metrics reads up to 500 queries a request (the dispatcher splits larger reads)
   * @param directoryRefresh how long the directory of endpoints is kept between cycles
   */
  public FleetDispatcher(FleetDirectory directory, AccountQuotas quotas, FleetQueue queue,
      MetricsReader metrics, Clock clock, Duration directoryRefresh) {
    this.directory = directory;
    this.quotas = quotas;
    this.queue = queue;
    this.metrics = metrics;
    this.clock = clock;
    this.directoryRefresh = directoryRefresh;
  }

  /**
   * @param forecastIntervalMinutes the forecasters' schedule, which every turn's policy carries
   *     (its {@code timing.forecastIntervalMinutes}: how far ahead a forecast reaches)
   * @param queueUrl where the turns go
   * @param dryRun find, check and plan, but send nothing
   * @param log the function's log: an error line per skipped endpoint
   * @throws PortFailure when the directory (never read before) or the queue cannot be reached
   */
  public DispatchReport dispatch(FanOut fanOut, Deployment deployment,
      int forecastIntervalMinutes, String queueUrl, boolean dryRun, Consumer<String> log) {
    Instant cycle = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    DispatchReport.Builder report = new DispatchReport.Builder(fanOut, cycle, dryRun);
    List<FleetDirectory.Endpoint> all = endpoints(cycle, report);
    List<Enrolled> enrolled = enrol(all, new Fleet(deployment, forecastIntervalMinutes), report,
        log);
    List<FleetQueue.Turn> turns = new ArrayList<>();
    if (fanOut == FanOut.FORECASTER) {
      for (Enrolled e : enrolled) {
        turns.add(new FleetQueue.Turn(e.groupId(), e.request().toString()));
        report.turn(e.groupId(), e.priority(), null);
      }
    } else {
      // Without quotas or the reads ahead, the turns still go: unshared, or read by each scaler.
      Map<String, QuotaShare.Allowance> shares = Map.of();
      try {
        shares = quotaShares(all, enrolled, cycle, report);
      } catch (PortFailure e) {
        report.note("quotas not shared this cycle: " + e.getMessage());
      }
      Map<String, ReadAhead> reads = Map.of();
      try {
        reads = readAhead(enrolled, cycle, report);
      } catch (PortFailure e) {
        report.note("nothing read ahead this cycle, each scaler reads its own: " + e.getMessage());
      }
      for (Enrolled e : enrolled) {
        ReadAhead ahead = reads.get(e.groupId());
        FleetTurnMessage turn = new FleetTurnMessage(new FleetTurn(cycle,
            shares.get(e.groupId())), ahead == null ? null : ahead.plan(),
            ahead == null ? null : ahead.readings());
        ObjectNode body = e.request();
        body.put("trigger", "schedule");
        body.set(FleetTurnMessage.FIELD, turn.toJson());
        turns.add(new FleetQueue.Turn(e.groupId(), body.toString()));
        report.turn(e.groupId(), e.priority(), shares.get(e.groupId()));
      }
    }
    List<String> refused = dryRun || turns.isEmpty() ? List.of()
        : queue.send(queueUrl, cycle, turns);
    report.refused(refused);
    return report.sent(dryRun ? 0 : turns.size() - refused.size()).build();
  }

  /** What every turn of this deployment shares: the scaler's settings, the forecast cadence. */
  private record Fleet(Deployment deployment, int forecastIntervalMinutes) {}

  /** A turn's first read, made here. */
  private record ReadAhead(ScalerStep.ReadPlan plan, Readings readings) {}

  /** An endpoint whose tags were read: the request it runs, and its place in the fleet. */
  private record Enrolled(String groupId, ObjectNode request, ScalerInvocation invocation,
      int priority, FleetDirectory.Variant variant) {
    @Override
    public ObjectNode request() {
      return request.deepCopy();
    }
  }

  private List<FleetDirectory.Endpoint> endpoints(Instant cycle, DispatchReport.Builder report) {
    if (endpoints == null || !cycle.isBefore(endpointsReadAt.plus(directoryRefresh))) {
      try {
        FleetDirectory.Read read = directory.read(EndpointTags.ENABLED, cycle);
        endpoints = read.endpoints();
        components = read.components();
        endpointsReadAt = cycle;
        read.notes().forEach(report::note);
        report.directoryRead();
      } catch (PortFailure e) {
        if (endpoints == null) {
          throw e;
        }
        // The endpoints as last read: the fleet keeps scaling while the directory cannot.
        report.note("the directory of endpoints kept from " + endpointsReadAt
            + ", as it could not be read: " + e.getMessage());
      }
    }
    report.discovered(endpoints.size());
    return endpoints;
  }

  /** The endpoints and components opted in with valid tags, each unit once. */
  private List<Enrolled> enrol(List<FleetDirectory.Endpoint> all, Fleet fleet,
      DispatchReport.Builder report, Consumer<String> log) {
    Map<String, Enrolled> enrolled = new LinkedHashMap<>();
    for (FleetDirectory.Endpoint endpoint : all) {
      if (EndpointTags.enabled(endpoint.tags())) {
        enrol(endpoint.name(), null, () -> enrolment(endpoint, fleet), enrolled, report, log);
      }
    }
    for (FleetDirectory.Component component : components) {
      if (EndpointTags.enabled(component.tags())) {
        enrol(component.endpointName(), component.name(),
            () -> enrolment(component, fleet), enrolled, report, log);
      }
    }
    return List.copyOf(enrolled.values());
  }

  private static void enrol(String endpointName, String componentName, Supplier<Enrolled> read,
      Map<String, Enrolled> enrolled, DispatchReport.Builder report, Consumer<String> log) {
    String unit = componentName == null ? "endpoint" : "inference component " + componentName;
    try {
      Enrolled one = read.get();
      if (enrolled.putIfAbsent(one.groupId(), one) != null) {
        throw new IllegalArgumentException("its tags and its endpoint's both opt "
            + one.groupId() + " in: it is scaled once, as its endpoint's tags say");
      }
    } catch (IllegalArgumentException e) {
      report.skipped(endpointName, componentName, e.getMessage());
      LogLine line = LogLine.error(unit + " skipped: " + e.getMessage())
          .endpoint(endpointName, null);
      log.accept((componentName == null ? line
          : line.with("inferenceComponentName", componentName)).toString());
    }
  }

  /** @throws IllegalArgumentException naming each bad tag and field */
  private static Enrolled enrolment(FleetDirectory.Endpoint endpoint, Fleet fleet) {
    EndpointTags.Parsed tags = EndpointTags.parse(endpoint.tags());
    ObjectNode request = tags.request();
    request.put("endpointName", endpoint.name());
    if (!request.has("variantName") && !request.has("inferenceComponentName")) {
      if (endpoint.variants().size() != 1) {
        throw new IllegalArgumentException("tag " + EndpointTags.VARIANT + " is missing: the"
            + " endpoint has variants " + endpoint.variants().stream()
            .map(FleetDirectory.Variant::name).toList() + "; name the one to scale");
      }
      request.put("variantName", endpoint.variants().get(0).name());
    }
    ScalerInvocation invocation = invocation(request, tags, fleet);
    ScalerTask task = invocation.task();
    String unit = task.variantName() != null ? task.variantName()
        : task.inferenceComponentName();
    FleetDirectory.Variant variant = task.variantName() == null ? null
        : endpoint.variants().stream().filter(v -> v.name().equals(task.variantName()))
            .findFirst().orElseThrow(() -> new IllegalArgumentException("tag "
                + EndpointTags.VARIANT + ": the endpoint has no variant " + task.variantName()));
    return new Enrolled(endpoint.name() + "/" + unit, request, invocation, tags.priority(),
        variant);
  }

  /** @throws IllegalArgumentException naming each bad tag and field */
  private static Enrolled enrolment(FleetDirectory.Component component, Fleet fleet) {
    EndpointTags.Parsed tags = EndpointTags.parse(component.tags());
    ObjectNode request = tags.request();
    if (request.has("variantName") || request.has("inferenceComponentName")) {
      throw new IllegalArgumentException("tags " + EndpointTags.VARIANT + " and "
          + EndpointTags.COMPONENT + " say what an endpoint scales; a component scales itself:"
          + " leave them off");
    }
    request.put("endpointName", component.endpointName());
    request.put("inferenceComponentName", component.name());
    ScalerInvocation invocation = invocation(request, tags, fleet);
    return new Enrolled(component.endpointName() + "/" + component.name(), request, invocation,
        tags.priority(), null);
  }

  /**
   * The request as the scaler will read it, with the fleet's forecast cadence, each problem traced
   * to its tag.
   */
  private static ScalerInvocation invocation(ObjectNode request, EndpointTags.Parsed tags,
      Fleet fleet) {
    if (tags.fieldTags().containsKey(FORECAST_INTERVAL)) {
      throw new IllegalArgumentException("tag " + tags.fieldTags().get(FORECAST_INTERVAL) + ": "
          + FORECAST_INTERVAL + " is the stack's ForecastIntervalMinutes, which schedules the"
          + " forecasts: leave it off");
    }
    ((ObjectNode) request.get("policy")).put(FORECAST_INTERVAL, fleet.forecastIntervalMinutes());
    try {
      return ScalerInvocation.parse(request, fleet.deployment());
    } catch (InvalidRequestException e) {
      List<String> named = new ArrayList<>();
      for (String problem : e.problems()) {
        named.add("tag " + EndpointTags.tagOf(problem, tags.fieldTags()) + ": " + problem);
      }
      throw new IllegalArgumentException(String.join("; ", named));
    }
  }

  /**
   * Each enrolled variant's share of its type's quota, where the quota could not hold them all at
   * their maximums: what it holds plus its part of what the quota leaves, by priority, as its
   * scaler last needed (its records of the last minutes; up to its maximum without one).
   */
  private Map<String, QuotaShare.Allowance> quotaShares(List<FleetDirectory.Endpoint> all,
      List<Enrolled> enrolled, Instant cycle, DispatchReport.Builder report) {
    if (quotaLimits == null || !cycle.isBefore(quotasReadAt.plus(QUOTA_REFRESH))) {
      quotaLimits = quotas.endpointInstances();
      quotasReadAt = cycle;
      report.quotasRead();
    }
    Map<String, Integer> inUse = new TreeMap<>();
    for (FleetDirectory.Endpoint endpoint : all) {
      for (FleetDirectory.Variant v : endpoint.variants()) {
        if (v.instanceType() != null && quotaLimits.containsKey(v.instanceType())) {
          inUse.merge(v.instanceType(), v.held(), Integer::sum);
        }
      }
    }
    // A type whose quota holds every claimant at its maximum needs no sharing, nor the read.
    Map<String, Integer> growth = new TreeMap<>();
    for (Enrolled e : enrolled) {
      if (e.variant() != null && quotaLimits.containsKey(e.variant().instanceType())) {
        growth.merge(e.variant().instanceType(), Math.max(0,
            e.invocation().task().policy().bounds().maxInstances() - e.variant().held()),
            Integer::sum);
      }
    }
    List<Enrolled> claimants = enrolled.stream().filter(e -> e.variant() != null
        && growth.containsKey(e.variant().instanceType())
        && growth.get(e.variant().instanceType())
            > quotaLimits.get(e.variant().instanceType()) - inUse.get(e.variant().instanceType()))
        .toList();
    Map<String, Double> needed = lastNeeded(claimants, cycle, report);
    Map<String, List<QuotaShare.Claim>> claims = new TreeMap<>();
    for (Enrolled e : claimants) {
      int current = e.variant().held();
      Double need = needed.get(e.groupId());
      // Without a record yet (its first minutes), it may want up to its maximum.
      int wanted = need == null
          ? Math.max(current, e.invocation().task().policy().bounds().maxInstances())
          : need.intValue();
      claims.computeIfAbsent(e.variant().instanceType(), t -> new ArrayList<>())
          .add(new QuotaShare.Claim(e.groupId(), e.priority(), current, wanted));
    }
    Map<String, QuotaShare.Allowance> shares = new LinkedHashMap<>();
    claims.forEach((type, typeClaims) -> {
      int claimed = typeClaims.stream().mapToInt(QuotaShare.Claim::current).sum();
      shares.putAll(QuotaShare.share(type, quotaLimits.get(type), inUse.get(type) - claimed,
          typeClaims));
    });
    inUse.forEach((type, used) -> report.quota(type, quotaLimits.get(type), used));
    return shares;
  }

  /**
   * Each claimant's newest {@code NeededInstances} record, where it has one, in as few reads as
   * 500 queries a request allow.
   */
  private Map<String, Double> lastNeeded(List<Enrolled> claimants, Instant cycle,
      DispatchReport.Builder report) {
    List<MetricQuery> queries = new ArrayList<>();
    for (int i = 0; i < claimants.size(); i++) {
      queries.add(new MetricQuery("n" + i, InferScaleMetrics.scalerRecord(DecisionMetrics.NEEDED,
          target(claimants.get(i).invocation().task())), 60));
    }
    Map<String, List<SignalPoint>> read = readBatched(queries, cycle.minus(RECORD_LOOKBACK),
        cycle, report);
    Map<String, Double> needed = new LinkedHashMap<>();
    for (int i = 0; i < claimants.size(); i++) {
      List<SignalPoint> points = read.getOrDefault("n" + i, List.of());
      if (!points.isEmpty()) {
        needed.put(claimants.get(i).groupId(), points.get(points.size() - 1).value());
      }
    }
    return needed;
  }

  /** Every scaler turn's first read, made here for all of them at once. */
  private Map<String, ReadAhead> readAhead(List<Enrolled> enrolled, Instant cycle,
      DispatchReport.Builder report) {
    // Endpoints with the same history window share a range, and so requests.
    Map<List<Instant>, List<Integer>> byRange = new LinkedHashMap<>();
    List<ScalerStep.ReadPlan> plans = new ArrayList<>();
    List<CloudWatchTelemetry.Plan> queries = new ArrayList<>();
    for (int i = 0; i < enrolled.size(); i++) {
      ScalerInvocation invocation = enrolled.get(i).invocation();
      ScalerStep.ReadPlan plan = ScalerStep.mainRead(invocation.task().policy(), cycle);
      plans.add(plan);
      queries.add(ScalerWiring.telemetry(metrics, invocation).plan(plan.series(), "e" + i + "_"));
      byRange.computeIfAbsent(List.of(plan.from(), plan.to()), r -> new ArrayList<>()).add(i);
    }
    Map<String, ReadAhead> reads = new LinkedHashMap<>();
    byRange.forEach((range, members) -> {
      List<MetricQuery> all = new ArrayList<>();
      members.forEach(i -> all.addAll(queries.get(i).queries()));
      Map<String, List<SignalPoint>> read = readBatched(all, range.get(0), range.get(1), report);
      for (int i : members) {
        reads.put(enrolled.get(i).groupId(), new ReadAhead(plans.get(i),
            queries.get(i).readings(read)));
      }
    });
    return reads;
  }

  private Map<String, List<SignalPoint>> readBatched(List<MetricQuery> queries, Instant from,
      Instant to, DispatchReport.Builder report) {
    Map<String, List<SignalPoint>> read = new LinkedHashMap<>();
    for (int start = 0; start < queries.size(); start += CloudWatchMetricsReader.MAX_QUERIES) {
      List<MetricQuery> chunk = queries.subList(start, Math.min(queries.size(),
          start + CloudWatchMetricsReader.MAX_QUERIES));
      try {
        read.putAll(metrics.read(chunk, from, to));
      } catch (SdkException e) {
        throw AwsFailures.of("GetMetricData", e);
      }
      report.metricRead(chunk.size());
    }
    return read;
  }

  private static MetricTarget target(ScalerTask task) {
    return MetricTarget.of(task.endpointName(), task.variantName(),
        task.inferenceComponentName());
  }
}
