package inferscale.aws.adapters;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.servicequotas.model.ServiceQuota;

/**
 * The account's SageMaker quotas on instances for endpoints, by instance type, from Service Quotas:
 * the applied values (ListServiceQuotas), and the defaults (ListAWSDefaultServiceQuotas) for the
 * types never raised, which ListServiceQuotas may leave out.
 */
public final class AccountQuotas {
  /** SageMaker names each such quota "ml.g5.xlarge for endpoint usage". */
  static final Pattern ENDPOINT_USAGE = Pattern.compile("^(ml\\.[a-z0-9-]+\\.[a-z0-9]+) for"
      + " endpoint usage$");
  private static final String SERVICE = "sagemaker";

  private final ServiceQuotasClient quotas;

  public AccountQuotas(ServiceQuotasClient quotas) {
    this.quotas = quotas;
  }

  /**
   * The most instances of each type the account's endpoints may hold.
   *
   * @throws inferscale.control.PortFailure when the applied quotas cannot be read
   */
  public Map<String, Integer> endpointInstances() {
    Map<String, Integer> limits = new HashMap<>();
    try {
      read("ListAWSDefaultServiceQuotas", () -> quotas.listAWSDefaultServiceQuotasPaginator(
          b -> b.serviceCode(SERVICE)).quotas(), limits);
    } catch (RuntimeException e) {
      // The defaults only fill in types never raised; the applied values below are what binds.
    }
    read("ListServiceQuotas", () -> quotas.listServiceQuotasPaginator(
        b -> b.serviceCode(SERVICE)).quotas(), limits);
    return limits;
  }

  private static void read(String action, Supplier<Iterable<ServiceQuota>> pages,
      Map<String, Integer> limits) {
    AwsFailures.call(action, () -> {
      for (ServiceQuota quota : pages.get()) {
        Matcher name = ENDPOINT_USAGE.matcher(String.valueOf(quota.quotaName()));
        if (name.matches() && quota.value() != null) {
          limits.put(name.group(1), (int) Math.floor(quota.value()));
        }
      }
      return null;
    });
  }
}
