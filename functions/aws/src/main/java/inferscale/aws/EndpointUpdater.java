package inferscale.aws;

/** Sets a variant's desired instance count. */
public interface EndpointUpdater {
  /** @param weight the variant weight to keep (SageMaker's call takes both together) */
  void setDesiredInstanceCount(String endpointName, String variantName, int count, float weight);
}
