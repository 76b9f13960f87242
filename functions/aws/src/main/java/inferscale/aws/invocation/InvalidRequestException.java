package inferscale.aws.invocation;

import java.util.List;

/** A scaler request that cannot be acted on; lists every problem, each naming its field. */
public final class InvalidRequestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public InvalidRequestException(List<String> problems) {
    super("invalid request: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
