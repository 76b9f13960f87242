package inferscale.planning;

import inferscale.decision.ScheduledFloor;
import java.time.Instant;
import java.util.List;

/** The floor that explicit schedules impose now, early enough to hide the cold start. */
public final class ScheduledFloors {
  private ScheduledFloors() {}

  /**
   * The highest minimum among schedules that match any minute in {@code [now, now + lead]}: a
   * window that opens within the lead is already honoured, so its instances serve when it opens.
   *
   * @return null when no schedule applies
   */
  public static ScheduledFloor floorAt(List<FloorSchedule> schedules, Instant now, int leadMinutes) {
    FloorSchedule highest = null;
    for (FloorSchedule schedule : schedules) {
      if ((highest == null || schedule.minInstances() > highest.minInstances())
          && schedule.matchesWithin(now, leadMinutes)) {
        highest = schedule;
      }
    }
    return highest == null ? null : new ScheduledFloor(highest.minInstances(), highest.name());
  }
}
