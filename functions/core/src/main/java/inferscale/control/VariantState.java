package inferscale.control;

import java.util.Objects;

/** Another production variant of the endpoint, as read: the capacity fallback. */
public record VariantState(String variantName, String instanceType, int servingInstances,
    int desiredInstances, float weight) {
  public VariantState {
    Objects.requireNonNull(variantName, "variantName");
  }
}
