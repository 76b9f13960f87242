package inferscale.backtest;

/** A policy's score and, per minute, its serving and billed instance counts (for charts). */
public record PolicyRun(PolicyResult result, int[] ready, int[] billed) {
  public PolicyRun {
    ready = ready.clone();
    billed = billed.clone();
  }

  @Override
  public int[] ready() {
    return ready.clone();
  }

  @Override
  public int[] billed() {
    return billed.clone();
  }
}
