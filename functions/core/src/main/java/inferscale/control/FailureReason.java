package inferscale.control;

/** Why a port could not do its work, as a stable code for logs and metric filters. */
public enum FailureReason {
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
  /** A bug or an answer that could not be handled; still a hold, never a change. */
  INTERNAL_ERROR
}
