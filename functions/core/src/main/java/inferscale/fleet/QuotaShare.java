package inferscale.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Shares what an account's instance quota for one type leaves among the fleet's endpoints of that
 * type that want more, by priority: a higher priority's wants are met in full before a lower one
 * gets any, and endpoints of equal priority split what is short evenly (max-min fair, the odd
 * instances to the names first in order). What an endpoint already has is never taken away.
 */
public final class QuotaShare {
  private QuotaShare() {}

  /**
   * One endpoint's claim on the type.
   *
   * @param key the endpoint (and variant), unique in the share
   * @param priority higher is served first
   * @param current the instances it holds or has asked for (the larger of desired and current)
   * @param wanted the instances it wants, as its last cycle's decision needed them
   */
  public record Claim(String key, int priority, int current, int wanted) {
    public Claim {
      Objects.requireNonNull(key, "key");
      if (current < 0 || wanted < 0) {
        throw new IllegalArgumentException("instance counts cannot be negative");
      }
    }

    int asks() {
      return Math.max(0, wanted - current);
    }
  }

  /**
   * What one endpoint may hold of the type this cycle.
   *
   * @param maxInstances the most instances it may hold: what it has plus its share
   * @param limitedBy the share as a clause of a decision's sentence
   */
  public record Allowance(String instanceType, int maxInstances, String limitedBy) {
    public Allowance {
      Objects.requireNonNull(instanceType, "instanceType");
      Objects.requireNonNull(limitedBy, "limitedBy");
      if (maxInstances < 0) {
        throw new IllegalArgumentException("maxInstances cannot be negative: " + maxInstances);
      }
    }
  }

  /**
   * @param quota the applied quota for the type's endpoint usage
   * @param usedElsewhere instances of the type held by endpoints outside the claims (untagged ones)
   * @return each claim's allowance, by key, in the claims' order
   */
  public static Map<String, Allowance> share(String instanceType, int quota, int usedElsewhere,
      List<Claim> claims) {
    int held = claims.stream().mapToInt(Claim::current).sum();
    int free = Math.max(0, quota - usedElsewhere - held);
    Map<String, Integer> granted = new LinkedHashMap<>();
    TreeMap<Integer, List<Claim>> tiers = new TreeMap<>(Comparator.reverseOrder());
    for (Claim claim : claims) {
      granted.put(claim.key(), 0);
      tiers.computeIfAbsent(claim.priority(), p -> new ArrayList<>()).add(claim);
    }
    int left = free;
    for (List<Claim> tier : tiers.values()) {
      left -= fill(tier, left, granted);
    }
    Map<String, Allowance> allowances = new LinkedHashMap<>();
    for (Claim claim : claims) {
      int share = granted.get(claim.key());
      allowances.put(claim.key(), new Allowance(instanceType, claim.current() + share,
          sentence(instanceType, quota, usedElsewhere + held, free, claim, share)));
    }
    return allowances;
  }

  /** Water-fills {@code free} over the tier's asks; returns what it gave. */
  private static int fill(List<Claim> tier, int free, Map<String, Integer> granted) {
    List<Claim> open = new ArrayList<>(tier.stream().filter(c -> c.asks() > 0)
        .sorted(Comparator.comparing(Claim::key)).toList());
    int given = 0;
    while (!open.isEmpty() && given < free) {
      int each = Math.max(1, (free - given) / open.size());
      List<Claim> still = new ArrayList<>();
      for (Claim claim : open) {
        int room = claim.asks() - granted.get(claim.key());
        int give = Math.min(Math.min(each, room), free - given);
        granted.merge(claim.key(), give, Integer::sum);
        given += give;
        if (room > give) {
          still.add(claim);
        }
      }
      open = still;
    }
    return given;
  }

  private static String sentence(String instanceType, int quota, int inUse, int free, Claim claim,
      int share) {
    return "the account's quota of " + quota + " " + instanceType + " for endpoints has " + free
        + " left beyond the " + inUse + " in use, and this endpoint's share at priority "
        + claim.priority() + " is " + share + " more";
  }
}
