package inferscale.backtest;

/**
 * A policy's score and, per minute, its serving and desired (billed) instance counts (for
 * charts).
 */
public record PolicyRun(PolicyResult result, int[] serving, int[] desired) {
  public PolicyRun {
    serving = serving.clone();
    desired = desired.clone();
  }

  @Override
  public int[] serving() {
    return serving.clone();
  }

  @Override
  public int[] desired() {
    return desired.clone();
  }
}
