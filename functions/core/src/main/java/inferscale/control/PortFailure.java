package inferscale.control;

import java.util.Objects;

/**
 * A port could not do its work. Adapters catch their own errors (the AWS SDK's, for instance) and
 * throw this, classified, so the steps and handlers never see an SDK type.
 */
public final class PortFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final FailureReason reason;

  /** @param message what failed, with the service's own error code and message */
  public PortFailure(FailureReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public FailureReason reason() {
    return reason;
  }
}
