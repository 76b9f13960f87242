package inferscale.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import inferscale.decision.Headroom;
import org.junit.jupiter.api.Test;

class ComponentHostingTest {
  private static final String TYPE = "ml.g5.12xlarge";

  @Test
  void withoutManagedScalingTheInstancesThereHoldTheCopies() {
    // 2 instances of 4 accelerators, 3 taken by another component: 5 copies of one accelerator.
    ComponentHosting hosting = new ComponentHosting(TYPE, 2, 4, 1, 3, false, null);

    Headroom headroom = hosting.headroom(2, 10);

    assertEquals(3, headroom.more(), "5 fit, 2 asked for; the reservations add no instance");
    assertEquals("only 5 copies (1 accelerator each) fit beside the other components' 3"
        + " accelerators on the endpoint's 2 instances of " + TYPE + " (4 accelerators each);"
        + " the variant has no managed instance scaling to add more", headroom.limitedBy());
  }

  @Test
  void copiesAlreadyBeyondWhatFitsLeaveNoHeadroom() {
    assertEquals(0, new ComponentHosting(TYPE, 1, 4, 2, 0, false, null).headroom(3, null).more());
  }

  @Test
  void managedScalingIsLimitedByItsMaximumOrTheReservationsWhicheverIsLess() {
    ComponentHosting managed = new ComponentHosting(TYPE, 2, 4, 2, 0, true, 8);

    assertEquals(16 - 4, managed.headroom(4, null).more(), "8 instances hold 16 copies of 2");
    assertEquals(16 - 4, managed.headroom(4, 100).more(), "the maximum binds");
    Headroom reserved = managed.headroom(4, 1);
    assertEquals(6 - 4, reserved.more(), "2 + 1 reserved instances hold 6");
    assertEquals("only 6 copies (2 accelerators each) fit on 3 instances of " + TYPE
        + " (4 accelerators each), the 2 there and the 1 more capacity reservations have room"
        + " for", reserved.limitedBy());
  }

  @Test
  void managedScalingWithoutMaximumOrReservationsIsNotLimited() {
    assertNull(new ComponentHosting(TYPE, 2, 4, 1, 0, true, null).headroom(4, null));
  }

  @Test
  void fractionalRequirementsThatDivideExactlyCountEveryCopy() {
    // 0.1 × 10 = 1 in arithmetic, 0.9999999999999999 in doubles.
    assertEquals(10, new ComponentHosting("ml.g5.xlarge", 1, 1, 0.1, 0, false, null).copiesOn(1));
  }

  @Test
  void copiesDoNotStraddleInstances() {
    // 12 accelerators in all hold four copies of 3, but each instance of 4 holds only one.
    assertEquals(3, new ComponentHosting(TYPE, 3, 4, 3, 0, false, null).copiesOn(3));
    // A copy larger than an instance fits nowhere.
    assertEquals(0, new ComponentHosting(TYPE, 3, 4, 8, 0, false, null).copiesOn(3));
  }

  @Test
  void impossibleRequirementsAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> new ComponentHosting(TYPE, 1, 4, 0, 0, false, null));
  }
}
