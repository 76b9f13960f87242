package inferscale.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.decision.ScheduledFloor;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduledFloorsTest {
  // Weekdays 08:00–18:00 in Berlin (UTC+1 in winter, UTC+2 in summer).
  private static final FloorSchedule OFFICE_HOURS =
      FloorSchedule.of("schedules[0]", "office hours", "cron(* 8-17 ? * MON-FRI *)",
          "Europe/Berlin", 6);

  @Test
  void appliesInsideTheWindowInItsOwnTimeZone() {
    // Monday 2026-03-02 09:30 Berlin = 08:30 UTC
    ScheduledFloor floor = ScheduledFloors.floorAt(List.of(OFFICE_HOURS),
        Instant.parse("2026-03-02T08:30:00Z"), 0);
    assertEquals(6, floor.instances());
    assertEquals("office hours", floor.schedule());
    // 17:59 Berlin is inside, 18:00 is not.
    assertEquals(6, ScheduledFloors.floorAt(List.of(OFFICE_HOURS),
        Instant.parse("2026-03-02T16:59:00Z"), 0).instances());
    assertNull(ScheduledFloors.floorAt(List.of(OFFICE_HOURS),
        Instant.parse("2026-03-02T17:00:00Z"), 0));
    // Summer time: 08:00 Berlin is 06:00 UTC.
    assertEquals(6, ScheduledFloors.floorAt(List.of(OFFICE_HOURS),
        Instant.parse("2026-07-06T06:00:00Z"), 0).instances());
  }

  @Test
  void followsTheLocalClockAcrossDaylightSavingChanges() {
    FloorSchedule everyDay = FloorSchedule.of("schedules[0]", null, "* 8-17 ? * * *",
        "Europe/Berlin", 4);
    // Berlin moves to summer time at 02:00 on 2026-03-29: 08:00 local is 07:00 UTC the day
    // before and 06:00 UTC that day.
    assertEquals(4, ScheduledFloors.floorAt(List.of(everyDay),
        Instant.parse("2026-03-28T07:00:00Z"), 0).instances());
    assertNull(ScheduledFloors.floorAt(List.of(everyDay),
        Instant.parse("2026-03-28T06:59:00Z"), 0));
    assertEquals(4, ScheduledFloors.floorAt(List.of(everyDay),
        Instant.parse("2026-03-29T06:00:00Z"), 0).instances());
    assertNull(ScheduledFloors.floorAt(List.of(everyDay),
        Instant.parse("2026-03-29T05:59:00Z"), 0));
    // And back on 2026-10-25: 17:59 local is 16:59 UTC.
    assertEquals(4, ScheduledFloors.floorAt(List.of(everyDay),
        Instant.parse("2026-10-25T16:59:00Z"), 0).instances());
    assertNull(ScheduledFloors.floorAt(List.of(everyDay),
        Instant.parse("2026-10-25T17:00:00Z"), 0));
  }

  @Test
  void doesNotApplyAtWeekends() {
    assertNull(ScheduledFloors.floorAt(List.of(OFFICE_HOURS),
        Instant.parse("2026-03-07T10:00:00Z"), 0)); // Saturday
  }

  @Test
  void startsEarlyByTheLeadSoInstancesServeWhenTheWindowOpens() {
    Instant before = Instant.parse("2026-03-02T06:50:00Z"); // 07:50 Berlin
    assertNull(ScheduledFloors.floorAt(List.of(OFFICE_HOURS), before, 9));
    assertEquals(6, ScheduledFloors.floorAt(List.of(OFFICE_HOURS), before, 10).instances());
  }

  @Test
  void theHighestMatchingScheduleWins() {
    FloorSchedule launch = FloorSchedule.of("schedules[1]", "launch", "0-59 9 2 MAR ? 2026",
        "UTC", 20);
    ScheduledFloor floor = ScheduledFloors.floorAt(List.of(OFFICE_HOURS, launch),
        Instant.parse("2026-03-02T09:15:00Z"), 0);
    assertEquals(20, floor.instances());
  }

  @Test
  void invalidCronOrTimeZoneIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FloorSchedule.of("schedules[2]", null, "* 25 ? * MON-FRI *", "Mars/Olympus", -1));
    assertTrue(e.getMessage().contains("schedules[2].cron is not a valid AWS cron expression"),
        e.getMessage());
    assertTrue(e.getMessage().contains("schedules[2].timeZone is not a known time zone"),
        e.getMessage());
    assertTrue(e.getMessage().contains("schedules[2].minInstances must be ≥ 0, got -1"),
        e.getMessage());
    // Both day fields set is ambiguous in AWS cron.
    assertThrows(IllegalArgumentException.class,
        () -> FloorSchedule.of("s", null, "* 8 1 * MON *", "UTC", 1));
  }
}
