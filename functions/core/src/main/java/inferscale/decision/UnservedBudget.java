package inferscale.decision;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import inferscale.units.RequestRate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Holds an unserved-demand budget, a share of the requests of a rolling week, by moving the
 * scaler's own headroom, slowly: its target utilisation, or, with {@code targets.floorBand}, the
 * share of the forecast's band its floor provisions. It counts, from the endpoint's metrics, the
 * requests beyond what the serving instances take ({@code targets.maxRpsPerInstance} each), from
 * the requests and the requests per serving instance SageMaker publishes, over the last week (the
 * budget's window) and its last day (the rate it burns at now), both tallied again every hour.
 * Burning faster than the budget adds headroom (a lower target, a wider band); slower takes it
 * away, in proportion to the doublings between the mean of the two burns and the budget
 * ({@value #CHANGE_PER_HOUR_PERCENT} % of the target or {@value #BAND_CHANGE_PER_HOUR} of the band
 * an hour at twice or half the budget, at most {@value #MAX_DOUBLINGS} times that), between the
 * policy's bounds. That is integral control: over days the burn settles on the budget, whatever
 * the traffic. Its state, the target utilisation or band it set last and the tally of the week
 * and its last day, the scaler publishes and reads back, so a cold function carries on where the
 * last cycle left off.
 */
public final class UnservedBudget {
  /**
   * How far the target moves in an hour when the burn is twice or half the budget: days, not
   * minutes, to adapt (at 1 % an hour it chased each day's bursts, and held the
   * budget at more cost).
   */
  static final double CHANGE_PER_HOUR_PERCENT = 0.3;

  /**
   * How far the band moves in an hour when the burn is twice or half the budget. Where a
   * forecast's errors are about normal, the band near its upper quantile (z about 1.3) widens by
   * about 0.3 for each halving of what lies beyond it, so this too takes days a doubling, as the
   * target's rate does on the built-in trace (0.6 to 0.7, 16 %, spends 1.7 times as much).
   */
  static final double BAND_CHANGE_PER_HOUR = 0.004;

  /** The budget's window: the share is of the last week's requests. */
  public static final Duration WINDOW = Duration.ofDays(7);

  /** The burn rate's window: what the last day spent. */
  static final Duration RECENT = Duration.ofDays(1);

  /** How often the week is tallied again from the endpoint's metrics. */
  public static final Duration RETALLY = Duration.ofHours(1);

  /** Fewer minutes with requests than this in the last day: too little to judge, hold. */
  public static final int MIN_MINUTES = 60;

  /**
   * A burn more than this many doublings from the budget (8 times it, or an eighth) moves the
   * target no faster: a burst day moves it only so far, and nothing spent raises it three times
   * as fast as half the budget spent.
   */
  static final double MAX_DOUBLINGS = 3;

  private UnservedBudget() {}

  /**
   * What the controller measured and set this cycle.
   *
   * @param budgetPercent the policy's budget, a share of the week's requests
   * @param weekBurnPercent requests beyond capacity over the last week (as far as the metrics go
   *     back), as a share of its requests, or null when it had none
   * @param weekSpentPercent how much of the week's budget that is, in requests, or null
   * @param weekMinutes minutes of the week its metrics cover: from its first minute with requests
   *     (SageMaker publishes nothing for a minute without any) to its end
   * @param weekMeasuredAt when the week and its last day were tallied: they are tallied again
   *     when older than {@link #RETALLY}, and carried from what the scaler published in between
   * @param burnPercent the same share over the week's last day: the rate the budget burns at now,
   *     or null when the day had too few minutes to judge
   * @param minutes minutes with requests in the week's last day
   * @param previousUtilization the target utilisation the last cycle set (or the policy's own)
   * @param utilization the target utilisation set now: targets.rpsPerInstance becomes this times
   *     targets.maxRpsPerInstance (with a band, the policy's own, which the budget leaves)
   * @param previousFloorBand with targets.floorBand, the band the last cycle set (or the
   *     policy's own), else null
   * @param floorBand with targets.floorBand, the band set now, which the floor provisions, else
   *     null
   * @param bound the bound ({@code minUtilization}, {@code maxUtilization}, {@code minFloorBand} or
   *     {@code maxFloorBand}) the setting would have gone past, else null
   */
  @JsonPropertyOrder({"budgetPercent", "weekBurnPercent", "weekSpentPercent", "weekMinutes",
      "weekMeasuredAt", "burnPercent", "minutes", "previousUtilization", "utilization",
      "previousFloorBand", "floorBand", "bound", "sentence"})
  public record State(double budgetPercent, Double weekBurnPercent, Double weekSpentPercent,
      int weekMinutes, Instant weekMeasuredAt, Double burnPercent, int minutes,
      double previousUtilization, double utilization, Double previousFloorBand, Double floorBand,
      String bound) {
    /**
     * Why, in one sentence: made from the state when asked (a backtest's runs, which ask for
     * none, spent a tenth of their time formatting it every minute).
     */
    @JsonProperty("sentence")
    public String sentence() {
      Knob knob = floorBand == null ? Knob.UTILIZATION : Knob.FLOOR_BAND;
      double before = floorBand == null ? previousUtilization : previousFloorBand;
      double after = floorBand == null ? utilization : floorBand;
      if (burnPercent == null) {
        return String.format(Locale.ROOT, "%s %.2f held: %d minutes with requests in the last"
            + " day, fewer than the %d the %.2f %% budget is judged on", knob.label, before,
            minutes, MIN_MINUTES, budgetPercent);
      }
      double observed = (double) weekMinutes / WINDOW.toMinutes();
      // A minute's move is too small for three decimals: the direction says which way it goes.
      String move = after < before ? String.format(Locale.ROOT, "down from %.3f", before)
          : after > before ? String.format(Locale.ROOT, "up from %.3f", before) : "unchanged";
      StringBuilder sentence = new StringBuilder(String.format(Locale.ROOT,
          "%s %.3f (%s): %.0f %% of the week's %.2f %% budget spent in %s"
              + " (%.3f %% of its requests met no capacity; %.3f %% in the last day)",
          knob.label, after, move, weekSpentPercent == null ? 0 : weekSpentPercent,
          budgetPercent, observed >= 1 ? "the last 7 days"
              : String.format(Locale.ROOT, "%.0f %% of the week observed", 100 * observed),
          weekBurnPercent, burnPercent));
      if (bound != null) {
        sentence.append(String.format(Locale.ROOT,
            knob.mostHeadroom(bound.equals("min" + knob.boundSuffix))
                ? "; held at budget.%s %.2f, which leaves more unserved than the budget"
                : "; held at budget.%s %.2f, where this traffic leaves less unserved than the"
                    + " budget", bound, after));
      }
      return sentence.toString();
    }
  }

  /** What the controller moves: the target utilisation, or with targets.floorBand, the band. */
  private enum Knob {
    UTILIZATION("target utilisation", "Utilization"),
    FLOOR_BAND("floor band", "FloorBand");

    private final String label;
    private final String boundSuffix;

    Knob(String label, String boundSuffix) {
      this.label = label;
      this.boundSuffix = boundSuffix;
    }

    static Knob of(PolicyConfig policy) {
      return policy.targets().floorBand() == null ? UTILIZATION : FLOOR_BAND;
    }

    double own(PolicyConfig policy) {
      return this == UTILIZATION
          ? policy.targets().rpsPerInstance() / policy.targets().maxRpsPerInstance()
          : policy.targets().floorBand();
    }

    double low(PolicyConfig.Budget budget) {
      return this == UTILIZATION ? budget.minUtilization() : budget.minFloorBand();
    }

    double high(PolicyConfig.Budget budget) {
      return this == UTILIZATION ? budget.maxUtilization() : budget.maxFloorBand();
    }

    /** Moved by {@code hours} of one doubling's pace: more headroom when positive. */
    double moved(double before, double hours) {
      return this == UTILIZATION
          ? before * Math.exp(-hours * Math.log1p(CHANGE_PER_HOUR_PERCENT / 100))
          : before + hours * BAND_CHANGE_PER_HOUR;
    }

    /** True at the bound that gives the most headroom: a lower target, a wider band. */
    boolean mostHeadroom(boolean atLow) {
      return atLow == (this == UTILIZATION);
    }

    double clamp(double setting, PolicyConfig.Budget budget) {
      return Math.max(low(budget), Math.min(high(budget), setting));
    }

    State state(PolicyConfig policy, Double weekSpentPercent, Week week, Double burnPercent,
        int minutes, double before, double after, String bound) {
      double budgetPercent = policy.budget().unservedPercent();
      double utilization = UTILIZATION.own(policy);
      return this == UTILIZATION
          ? new State(budgetPercent, week.burnPercent(), weekSpentPercent, week.minutes(),
              week.measuredAt(), burnPercent, minutes, before, after, null, null, bound)
          : new State(budgetPercent, week.burnPercent(), weekSpentPercent, week.minutes(),
              week.measuredAt(), burnPercent, minutes, utilization, utilization, before, after,
              bound);
    }
  }

  /**
   * The budget's window tallied, and its last day: both from one read of a week, once every
   * {@link #RETALLY}.
   *
   * @param burnPercent requests beyond capacity as a share of the week's requests, or null when it
   *     had none
   * @param minutes minutes of it the metrics cover: from its first minute with requests to its
   *     end, so idle minutes after that count as observed; a week that opens idle (a new
   *     endpoint's, or one whose window starts on a quiet night or weekend) counts as short
   * @param dayBurnPercent the same share of its last day's: the rate the budget burns at now, or
   *     null when the day had none
   * @param dayMinutes minutes with requests in its last day
   * @param measuredAt the end of the week tallied
   */
  public record Week(Double burnPercent, int minutes, Double dayBurnPercent, int dayMinutes,
      Instant measuredAt) {
    /** True when it is due to be tallied again at {@code now}. */
    public boolean stale(Instant now) {
      return !measuredAt.plus(RETALLY).isAfter(now);
    }
  }

  /** Requests and those of them beyond capacity, over the minutes from {@code from}. */
  private static final class Tally {
    final Instant from;
    double requests;
    double over;
    int minutes;
    Instant first;

    Tally(Instant from) {
      this.from = from;
    }

    Double percent() {
      return minutes == 0 ? null : 100 * over / requests;
    }

    /** Minutes from the first with requests to {@code end}: how much of the window is covered. */
    int covered(Instant end) {
      return first == null ? 0 : (int) Duration.between(first, end).toMinutes();
    }
  }

  /**
   * Tallies the week before {@code now} and its last day: a week of per-minute points is a large
   * read, done once every {@link #RETALLY}; a cycle in between carries the last tally on, as the
   * scaler published it. The day's burn is then up to an hour old, which a controller moving
   * over days does not notice (tallied every minute, it took a backtest's budget runs a third of
   * their time).
   *
   * @param requests requests per minute (Invocations, Sum), oldest first
   * @param perInstance requests per serving instance (InvocationsPerInstance), oldest first
   */
  public static Week week(PolicyConfig policy, List<SignalPoint> requests,
      List<SignalPoint> perInstance, Instant now) {
    Tally week = new Tally(now.minus(WINDOW));
    Tally day = new Tally(now.minus(RECENT));
    tally(policy, requests, perInstance, now, week, day);
    return new Week(week.percent(), week.covered(now), day.percent(), day.minutes, now);
  }

  /**
   * @param previous the setting the last cycle made (target utilisation, or with
   *     targets.floorBand the band), or null when none was recorded
   * @param elapsedMinutes minutes since the previous cycle's state (1 on the minute schedule)
   * @param week the budget's window and its last day, tallied now or carried from the last tally
   */
  public static State next(PolicyConfig policy, Double previous, int elapsedMinutes, Week week) {
    PolicyConfig.Budget budget = policy.budget();
    Knob knob = Knob.of(policy);
    double before = knob.clamp(previous != null ? previous : knob.own(policy), budget);
    double target = budget.unservedPercent();
    double observed = (double) week.minutes() / WINDOW.toMinutes();
    Double spent = week.burnPercent() == null ? null : 100 * week.burnPercent() / target * observed;
    if (week.dayMinutes() < MIN_MINUTES || week.dayBurnPercent() == null
        || week.burnPercent() == null) {
      return knob.state(policy, spent, week, null, week.dayMinutes(), before, before, null);
    }
    double dayBurn = week.dayBurnPercent();
    double weekBurn = week.burnPercent();
    // The week is the budget; the day is how fast it burns now, and answers a change within days.
    // In doublings, so that too little spent moves it as fast as too much: burns are skewed (a
    // rare step day spends many times the budget), and a move in proportion to the excess fell
    // after each such day faster than it rose in the quiet ones, leaving small budgets unspent.
    double doublings = Math.log(Math.max(Math.pow(2, -MAX_DOUBLINGS),
        (weekBurn + dayBurn) / 2 / target)) / Math.log(2);
    double wanted = knob.moved(before,
        Math.min(MAX_DOUBLINGS, doublings) * elapsedMinutes / 60.0);
    double after = knob.clamp(wanted, budget);
    boolean atLow = wanted < knob.low(budget);
    String bound = atLow || wanted > knob.high(budget)
        ? (atLow ? "min" : "max") + knob.boundSuffix : null;
    return knob.state(policy, spent, week, dayBurn, week.dayMinutes(), before, after, bound);
  }

  /**
   * Adds each minute before {@code now} to the tallies whose window holds it (a window reaching
   * back as far as its tally's {@code from}), with the requests beyond what serving instances take.
   */
  private static void tally(PolicyConfig policy, List<SignalPoint> requests,
      List<SignalPoint> perInstance, Instant now, Tally... tallies) {
    double capacity = RequestRate.ofPerSecond(policy.targets().maxRpsPerInstance()).perMinute();
    // Both oldest first: walk them together, minute by minute.
    SignalPoint[] served = perInstance.toArray(new SignalPoint[0]);
    int j = 0;
    for (SignalPoint point : requests) {
      Instant at = point.timestamp();
      while (j < served.length && served[j].timestamp().isBefore(at)) {
        j++;
      }
      if (j == served.length) {
        break;
      }
      SignalPoint each = served[j];
      if (!at.isBefore(now) || !each.timestamp().equals(at) || !(point.value() > 0)
          || !(each.value() > 0)) {
        continue;
      }
      // Each serving instance takes up to capacity; what came beyond that met none.
      double over = point.value() * Math.max(0, 1 - capacity / each.value());
      for (Tally tally : tallies) {
        if (!at.isBefore(tally.from)) {
          tally.requests += point.value();
          tally.over += over;
          tally.minutes++;
          if (tally.first == null) {
            tally.first = at;
          }
        }
      }
    }
  }
}
