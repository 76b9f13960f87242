package inferscale.aws;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import inferscale.json.Json;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A cycle that could not decide because a read failed: the endpoint is left as it is (a hold), and
 * the handler returns and logs this instead of letting the exception escape. Everything a cycle
 * writes is an absolute count, so the next scheduled run simply tries again.
 *
 * @param reason a stable code, like the engine's reason codes, for logs and metric filters
 * @param error the failure's class and message (SDK messages carry codes and request ids, never
 *     credentials)
 */
@JsonPropertyOrder({"endpointName", "variantName", "applied", "action", "reason", "error"})
public record CycleFailure(String endpointName, String variantName, Reason reason, String error) {

  /** Why the cycle held without deciding. */
  public enum Reason {
    /** The endpoint or its variant does not exist (deleted, or a wrong name). */
    ENDPOINT_NOT_FOUND,
    /** AWS kept throttling after the SDK's bounded retries. */
    AWS_THROTTLED,
    /** A call did not finish within the SDK's attempt or whole-call timeout. */
    AWS_TIMEOUT,
    /** No usable answer: connection refused or reset, a 5xx, a truncated or malformed body. */
    AWS_UNAVAILABLE,
    /** AWS refused the call (e.g. access denied, validation). */
    AWS_REJECTED,
    /** A bug or an answer the cycle could not handle; still a hold, never a change. */
    INTERNAL_ERROR
  }

  public static CycleFailure of(String endpointName, String variantName, RuntimeException e) {
    return new CycleFailure(endpointName, variantName, classify(e), describe(e));
  }

  /** The AWS error code when there is one (the SDK's message leaves it out), then the message. */
  static String describe(RuntimeException e) {
    String code = e instanceof AwsServiceException service && service.awsErrorDetails() != null
        && service.awsErrorDetails().errorCode() != null
        ? service.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
    return code + ": " + e.getMessage();
  }

  /** Always false: a failed cycle changes nothing. */
  public boolean applied() {
    return false;
  }

  /** Always HOLD. */
  public String action() {
    return "HOLD";
  }

  static Reason classify(RuntimeException e) {
    if (e instanceof EndpointNotFoundException) {
      return Reason.ENDPOINT_NOT_FOUND;
    }
    if (!(e instanceof SdkException)) {
      return Reason.INTERNAL_ERROR;
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return Reason.AWS_TIMEOUT;
    }
    if (e instanceof AwsServiceException service) {
      if (service.isThrottlingException()) {
        return Reason.AWS_THROTTLED;
      }
      return service.statusCode() >= 500 ? Reason.AWS_UNAVAILABLE : Reason.AWS_REJECTED;
    }
    if (e instanceof SdkClientException && e.getCause() != null
        && e.getCause().getClass().getSimpleName().contains("Timeout")) {
      return Reason.AWS_TIMEOUT;
    }
    return Reason.AWS_UNAVAILABLE;
  }

  public String toJson() {
    try {
      return Json.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a cycle failure must always serialise", e);
    }
  }
}
