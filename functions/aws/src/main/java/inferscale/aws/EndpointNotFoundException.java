package inferscale.aws;

/** The endpoint, or the named variant on it, does not exist. */
public final class EndpointNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EndpointNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
