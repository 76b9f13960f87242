package inferscale.trace;

/** A trace file that does not follow the documented format; the message names line and column. */
public final class TraceFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public TraceFormatException(String trace, int line, String problem) {
    super(trace + ", line " + line + ": " + problem);
  }
}
