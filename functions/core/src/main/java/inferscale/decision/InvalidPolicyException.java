package inferscale.decision;

import java.util.List;

/** A policy that cannot be decided on; lists every problem, each naming its field and value. */
public final class InvalidPolicyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public InvalidPolicyException(List<String> problems) {
    super("invalid policy: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
