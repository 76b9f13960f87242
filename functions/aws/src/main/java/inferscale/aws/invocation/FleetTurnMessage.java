package inferscale.aws.invocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.control.Readings;
import inferscale.control.ScalerStep;
import inferscale.control.Series;
import inferscale.decision.SignalPoint;
import inferscale.fleet.FleetTurn;
import inferscale.fleet.QuotaShare;
import inferscale.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code "fleet"} field of a scaler request the fleet dispatcher sends: the minute it is for,
 * the endpoint's quota share, and the cycle's first read made ahead ({@code "read"}: its range and
 * each series' points as {@code [epochSecond, value]}), which may be left off.
 *
 * <pre>{"cycle": "2026-11-30T12:00:00Z",
 *  "quota": {"instanceType": "ml.g5.xlarge", "maxInstances": 4, "limitedBy": "…"},
 *  "read": {"from": "…", "to": "…", "series": {"REQUESTS": [[1796040000, 812.0]]}}}</pre>
 *
 * @param plan the read made ahead, or null
 * @param readings what it read, or null with {@code plan}
 */
public record FleetTurnMessage(FleetTurn turn, ScalerStep.ReadPlan plan, Readings readings) {
  public static final String FIELD = "fleet";

  public FleetTurnMessage {
    Objects.requireNonNull(turn, "turn");
    if ((plan == null) != (readings == null)) {
      throw new IllegalArgumentException("a read made ahead needs both its plan and readings");
    }
  }

  public ObjectNode toJson() {
    ObjectNode fleet = Json.mapper().createObjectNode();
    fleet.put("cycle", turn.cycle().toString());
    QuotaShare.Allowance quota = turn.quota();
    if (quota != null) {
      fleet.putObject("quota").put("instanceType", quota.instanceType())
          .put("maxInstances", quota.maxInstances()).put("limitedBy", quota.limitedBy());
    }
    if (plan != null) {
      ObjectNode read = fleet.putObject("read");
      read.put("from", plan.from().toString()).put("to", plan.to().toString());
      ObjectNode series = read.putObject("series");
      for (Series s : plan.series()) {
        ArrayNode points = series.putArray(s.name());
        for (SignalPoint p : readings.series().getOrDefault(s, List.of())) {
          points.addArray().add(p.timestamp().getEpochSecond()).add(p.value());
        }
      }
    }
    return fleet;
  }

  /** The field read, or null (with each problem, naming its field, added) when it is bad. */
  static FleetTurnMessage parse(JsonNode fleet, List<String> problems) {
    int before = problems.size();
    if (!fleet.isObject()) {
      problems.add(FIELD + " must be an object {cycle, quota, read}, got " + fleet.getNodeType());
      return null;
    }
    Instant cycle = instant(fleet, "cycle", FIELD + ".cycle", problems);
    QuotaShare.Allowance quota = null;
    JsonNode q = fleet.get("quota");
    if (q != null && !q.isNull()) {
      try {
        quota = new QuotaShare.Allowance(q.path("instanceType").textValue(),
            q.path("maxInstances").isIntegralNumber() ? q.path("maxInstances").intValue() : -1,
            q.path("limitedBy").textValue());
      } catch (NullPointerException | IllegalArgumentException e) {
        problems.add(FIELD + ".quota must be {instanceType, maxInstances ≥ 0, limitedBy}, got "
            + q);
      }
    }
    ScalerStep.ReadPlan plan = null;
    Readings readings = null;
    JsonNode read = fleet.get("read");
    if (read != null && !read.isNull()) {
      Instant from = instant(read, "from", FIELD + ".read.from", problems);
      Instant to = instant(read, "to", FIELD + ".read.to", problems);
      Map<Series, List<SignalPoint>> points = new EnumMap<>(Series.class);
      read.path("series").fields().forEachRemaining(entry -> {
        Series s;
        try {
          s = Series.valueOf(entry.getKey());
        } catch (IllegalArgumentException e) {
          problems.add(FIELD + ".read.series: unknown series " + entry.getKey());
          return;
        }
        List<SignalPoint> list = new ArrayList<>();
        for (JsonNode p : entry.getValue()) {
          if (p.size() != 2 || !p.get(0).isIntegralNumber() || !p.get(1).isNumber()) {
            problems.add(FIELD + ".read.series." + s + ": points are [epochSecond, value], got "
                + p);
            return;
          }
          list.add(new SignalPoint(Instant.ofEpochSecond(p.get(0).longValue()),
              p.get(1).doubleValue()));
        }
        points.put(s, list);
      });
      if (points.isEmpty() && problems.size() == before) {
        problems.add(FIELD + ".read.series must name at least one series");
      }
      if (problems.size() == before) {
        plan = new ScalerStep.ReadPlan(EnumSet.copyOf(points.keySet()), from, to);
        readings = new Readings(points);
      }
    }
    return problems.size() == before ? new FleetTurnMessage(new FleetTurn(cycle, quota), plan,
        readings) : null;
  }

  private static Instant instant(JsonNode node, String field, String named, List<String> problems) {
    JsonNode value = node.get(field);
    try {
      return Instant.parse(value.textValue());
    } catch (NullPointerException | DateTimeParseException e) {
      problems.add(named + " must be an ISO-8601 instant, got " + value);
      return null;
    }
  }
}
