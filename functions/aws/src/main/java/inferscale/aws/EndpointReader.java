package inferscale.aws;

/** Reads an endpoint variant's status, counts, instance type, weight and tags. Changes nothing. */
public interface EndpointReader {
  /** @throws EndpointNotFoundException when the endpoint or the variant does not exist */
  EndpointState read(String endpointName, String variantName);
}
