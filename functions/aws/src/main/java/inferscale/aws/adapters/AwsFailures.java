package inferscale.aws.adapters;

import inferscale.control.FailureReason;
import inferscale.control.PortFailure;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns the SDK's exceptions into the ports' {@link PortFailure}, classified, in one place. */
public final class AwsFailures {
  private AwsFailures() {}

  /**
   * Makes an AWS call, its SDK exception as a {@link PortFailure}.
   *
   * @param name the API call, e.g. {@code DescribeEndpoint}
   */
  public static <T> T call(String name, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw of(name, e);
    }
  }

  /** @param call the API call that failed, e.g. {@code DescribeEndpoint} */
  public static PortFailure of(String call, SdkException e) {
    return new PortFailure(classify(e), call + " failed: " + describe(e), e);
  }

  /** The AWS error code when there is one (the SDK's message leaves it out), then the message. */
  static String describe(SdkException e) {
    String code = e instanceof AwsServiceException service && service.awsErrorDetails() != null
        && service.awsErrorDetails().errorCode() != null
        ? service.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
    return code + ": " + e.getMessage();
  }

  static FailureReason classify(SdkException e) {
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return FailureReason.AWS_TIMEOUT;
    }
    if (e instanceof AwsServiceException service) {
      if (service.isThrottlingException()) {
        return FailureReason.AWS_THROTTLED;
      }
      return service.statusCode() >= 500 ? FailureReason.AWS_UNAVAILABLE
          : FailureReason.AWS_REJECTED;
    }
    if (e instanceof SdkClientException && e.getCause() != null
        && e.getCause().getClass().getSimpleName().contains("Timeout")) {
      return FailureReason.AWS_TIMEOUT;
    }
    return FailureReason.AWS_UNAVAILABLE;
  }
}
