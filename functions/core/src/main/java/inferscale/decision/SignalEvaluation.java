package inferscale.decision;

/**
 * What the evaluation of one signal established, once, for every rule that needs it.
 *
 * @param panic RPS is over the panic threshold in every minute of the signal window now, or in
 *     panic by a level shift
 * @param levelShift RPS jumped into panic in the newest minute, far beyond a smooth hour's noise
 * @param panicWithinHold it was over the threshold in every minute of the signal window at some
 *     minute of the panic hold period
 */
record SignalEvaluation(SignalRecommendation recommendation, boolean panic, boolean levelShift,
    boolean panicWithinHold) {

  Signal signal() {
    return recommendation.signal();
  }

  boolean fresh() {
    return recommendation.freshness() == Freshness.FRESH;
  }
}
