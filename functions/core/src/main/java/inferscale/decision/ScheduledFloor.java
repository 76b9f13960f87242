package inferscale.decision;

/**
 * A minimum that an explicit schedule imposes now.
 *
 * @param schedule the schedule's own description, e.g. its cron expression and time zone
 */
public record ScheduledFloor(int instances, String schedule) {
  public ScheduledFloor {
    if (instances < 0) {
      throw new IllegalArgumentException("scheduled floor cannot be negative: " + instances);
    }
  }
}
