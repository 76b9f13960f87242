package inferscale.aws.adapters;

/**
 * The operator's switch: the endpoint tag {@value #KEY} = {@code true} (any case, spaces ignored)
 * pauses InferScale for the endpoint; any other value, or no tag, leaves it running.
 */
public final class PauseTag {
  public static final String KEY = "inferscale:paused";

  private PauseTag() {}

  /** @param value the tag's value, or null when the endpoint has no such tag */
  static boolean pauses(String value) {
    return value != null && "true".equalsIgnoreCase(value.trim());
  }
}
