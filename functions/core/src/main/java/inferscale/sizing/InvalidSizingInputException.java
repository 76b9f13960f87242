package inferscale.sizing;

/**
 * A sizing input that cannot describe a real deployment. It keeps the field apart from the
 * problem so that a caller can name the input the user actually typed (a flag, a file).
 */
public final class InvalidSizingInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String problem;

  public InvalidSizingInputException(String field, String problem) {
    super(field + " " + problem);
    this.field = field;
    this.problem = problem;
  }

  /** The record component that was rejected, e.g. {@code layers}. */
  public String field() {
    return field;
  }

  /** What is wrong, without the field: {@code must be positive, found 0}. */
  public String problem() {
    return problem;
  }

  static void requirePositive(String field, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new InvalidSizingInputException(field, "must be a positive number, found " + value);
    }
  }

  static void requirePositive(String field, int value) {
    if (value <= 0) {
      throw new InvalidSizingInputException(field, "must be a positive whole number, found " + value);
    }
  }

  static void requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidSizingInputException(field, "must be given");
    }
  }
}
