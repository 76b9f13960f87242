package inferscale.planning;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronConstraintsFactory;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * An explicit minimum for known events: while the cron expression matches the current minute (in
 * its time zone), the endpoint keeps at least {@code minInstances}. The expression uses AWS's
 * six-field cron syntax ({@code minutes hours day-of-month month day-of-week year}), so
 * "weekdays 08:00–18:00" is {@code * 8-17 ? * MON-FRI *}.
 */
public final class FloorSchedule {
  /** AWS EventBridge cron: no seconds, a year field, {@code ?}, {@code L}, {@code W}, {@code #}. */
  private static final CronDefinition AWS_CRON = CronDefinitionBuilder.defineCron()
      .withMinutes().withValidRange(0, 59).and()
      .withHours().withValidRange(0, 23).and()
      .withDayOfMonth().withValidRange(1, 31).supportsL().supportsW().supportsLW()
          .supportsQuestionMark().and()
      .withMonth().withValidRange(1, 12).and()
      .withDayOfWeek().withValidRange(1, 7).withMondayDoWValue(2).supportsHash().supportsL()
          .supportsQuestionMark().and()
      .withYear().withValidRange(1970, 2199).and()
      .withCronValidation(CronConstraintsFactory.ensureEitherDayOfWeekOrDayOfMonth())
      .instance();

  private final String name;
  private final String cron;
  private final ZoneId zone;
  private final int minInstances;
  private final ExecutionTime executionTime;

  private FloorSchedule(String name, String cron, ZoneId zone, int minInstances,
      ExecutionTime executionTime) {
    this.name = name;
    this.cron = cron;
    this.zone = zone;
    this.minInstances = minInstances;
    this.executionTime = executionTime;
  }

  /**
   * The schedules of a request's {@code schedules} field: an array of {@code {name, cron,
   * timeZone, minInstances}}, or null or absent for none. Each problem, naming the entry and its
   * field, is added to {@code problems}; the entries without one are returned.
   */
  public static List<FloorSchedule> fromJson(JsonNode value, List<String> problems) {
    List<FloorSchedule> schedules = new ArrayList<>();
    if (value == null || value.isNull()) {
      return schedules;
    }
    if (!value.isArray()) {
      problems.add("schedules must be an array of {name, cron, timeZone, minInstances}, got "
          + value.getNodeType());
      return schedules;
    }
    for (int i = 0; i < value.size(); i++) {
      String field = "schedules[" + i + "]";
      JsonNode entry = value.get(i);
      if (!entry.isObject()) {
        problems.add(field + " must be an object {name, cron, timeZone, minInstances}, got "
            + entry.getNodeType());
        continue;
      }
      Iterator<String> keys = entry.fieldNames();
      while (keys.hasNext()) {
        String key = keys.next();
        if (!Set.of("name", "cron", "timeZone", "minInstances").contains(key)) {
          problems.add(field + ": unknown field '" + key
              + "'; known fields are [name, cron, timeZone, minInstances]");
        }
      }
      JsonNode min = entry.get("minInstances");
      if (min == null || !min.isIntegralNumber() || !min.canConvertToInt()) {
        problems.add(field + ".minInstances must be a whole number, got " + min);
        continue;
      }
      try {
        schedules.add(FloorSchedule.of(field, text(entry, "name"), text(entry, "cron"),
            text(entry, "timeZone"), min.intValue()));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    return schedules;
  }

  private static String text(JsonNode entry, String field) {
    JsonNode value = entry.get(field);
    return value == null || !value.isTextual() ? null : value.asText();
  }

  /**
   * @param field where the schedule came from, e.g. {@code schedules[0]}: errors name it
   * @param cron six AWS cron fields, with or without the {@code cron(...)} wrapper
   * @param timeZone an IANA zone such as {@code Europe/Berlin}
   * @throws IllegalArgumentException listing every problem, each naming its field and value
   */
  public static FloorSchedule of(String field, String name, String cron, String timeZone,
      int minInstances) {
    List<String> problems = new ArrayList<>();
    ExecutionTime executionTime = null;
    String expression = cron == null ? "" : unwrap(cron.strip());
    try {
      Cron parsed = new CronParser(AWS_CRON).parse(expression).validate();
      executionTime = ExecutionTime.forCron(parsed);
    } catch (IllegalArgumentException e) {
      problems.add(field + ".cron is not a valid AWS cron expression (minutes hours day-of-month"
          + " month day-of-week year), got '" + cron + "': " + e.getMessage());
    }
    ZoneId zone = null;
    try {
      zone = ZoneId.of(timeZone == null ? "" : timeZone);
    } catch (DateTimeException e) {
      problems.add(field + ".timeZone is not a known time zone such as Europe/Berlin, got '"
          + timeZone + "'");
    }
    if (minInstances < 0) {
      problems.add(field + ".minInstances must be ≥ 0, got " + minInstances);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    String label = name == null || name.isBlank() ? "cron(" + expression + ") " + zone : name;
    return new FloorSchedule(label, expression, zone, minInstances, executionTime);
  }

  private static String unwrap(String cron) {
    return cron.startsWith("cron(") && cron.endsWith(")")
        ? cron.substring(5, cron.length() - 1).strip()
        : cron;
  }

  /**
   * True when the expression matches a minute from the one containing {@code at} to {@code
   * minutes} after it: one search for the next match, not a test of each minute (a backtest asks
   * every simulated minute, and each test costs as much as the search).
   */
  public boolean matchesWithin(Instant at, int minutes) {
    Instant first = at.truncatedTo(ChronoUnit.MINUTES);
    return executionTime.nextExecution(first.minusSeconds(1).atZone(zone))
        .map(next -> !next.toInstant().isAfter(first.plus(minutes, ChronoUnit.MINUTES)))
        .orElse(false);
  }

  public String name() {
    return name;
  }

  public String cron() {
    return cron;
  }

  public ZoneId zone() {
    return zone;
  }

  public int minInstances() {
    return minInstances;
  }
}
