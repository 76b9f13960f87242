package inferscale.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaShareTest {
  private static final String TYPE = "ml.g5.12xlarge";

  private static Map<String, QuotaShare.Allowance> share(int quota, int elsewhere,
      QuotaShare.Claim... claims) {
    return QuotaShare.share(TYPE, quota, elsewhere, List.of(claims));
  }

  @Test
  void theHigherPriorityIsServedInFullBeforeTheLowerGetsAny() {
    Map<String, QuotaShare.Allowance> shares = share(10, 2,
        new QuotaShare.Claim("low", 1, 2, 6), new QuotaShare.Claim("high", 5, 2, 5));

    // 10 − 2 elsewhere − 4 held = 4 left: high asks 3, low gets the 1 after it.
    assertEquals(5, shares.get("high").maxInstances());
    assertEquals(3, shares.get("low").maxInstances());
    assertTrue(shares.get("low").limitedBy().contains("4 left beyond the 6 in use"),
        shares.get("low").limitedBy());
    assertTrue(shares.get("low").limitedBy().contains("priority 1 is 1 more"));
  }

  @Test
  void equalPrioritiesSplitWhatIsShortEvenly() {
    Map<String, QuotaShare.Allowance> shares = share(9, 0,
        new QuotaShare.Claim("a", 0, 1, 9), new QuotaShare.Claim("b", 0, 1, 2),
        new QuotaShare.Claim("c", 0, 1, 9));

    // 6 left: b's 1, then a and c 2.5 each, the odd one to the name first in order.
    assertEquals(4, shares.get("a").maxInstances());
    assertEquals(2, shares.get("b").maxInstances());
    assertEquals(3, shares.get("c").maxInstances());
  }

  @Test
  void nothingHeldIsTakenAwayWhenTheAccountIsAlreadyOverItsQuota() {
    Map<String, QuotaShare.Allowance> shares = share(4, 3,
        new QuotaShare.Claim("a", 9, 3, 8));

    assertEquals(3, shares.get("a").maxInstances());
    assertTrue(shares.get("a").limitedBy().contains("has 0 left"));
  }

  @Test
  void sharesNeverExceedTheQuotaNorTheAsksAndLeaveNothingAnyoneWantsUnused() {
    qt().withExamples(500)
        .forAll(lists().of(integers().between(0, 60)).ofSizeBetween(3, 24),
            integers().between(0, 80), integers().between(0, 20))
        .checkAssert((numbers, quota, elsewhere) -> {
          List<QuotaShare.Claim> claims = new ArrayList<>();
          for (int i = 0; i + 2 < numbers.size(); i += 3) {
            claims.add(new QuotaShare.Claim("e" + i, numbers.get(i) % 4, numbers.get(i + 1) % 10,
                numbers.get(i + 2) % 20));
          }
          Map<String, QuotaShare.Allowance> shares =
              QuotaShare.share(TYPE, quota, elsewhere, claims);
          int held = claims.stream().mapToInt(QuotaShare.Claim::current).sum();
          int free = Math.max(0, quota - elsewhere - held);
          int granted = 0;
          int asked = 0;
          for (QuotaShare.Claim claim : claims) {
            int more = shares.get(claim.key()).maxInstances() - claim.current();
            assertTrue(more >= 0, claims::toString);
            assertTrue(more <= Math.max(0, claim.wanted() - claim.current()), claims::toString);
            granted += more;
            asked += Math.max(0, claim.wanted() - claim.current());
          }
          assertTrue(granted <= free, claims::toString);
          assertEquals(Math.min(free, asked), granted, claims::toString);
          // Nobody of a lower priority got any while a higher one was short.
          for (QuotaShare.Claim shortOne : claims) {
            if (shares.get(shortOne.key()).maxInstances() < shortOne.wanted()) {
              for (QuotaShare.Claim lower : claims) {
                if (lower.priority() < shortOne.priority()) {
                  assertEquals(lower.current(), shares.get(lower.key()).maxInstances(),
                      claims::toString);
                }
              }
            }
          }
        });
  }
}
