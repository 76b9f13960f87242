package inferscale.decision;

/**
 * What the evaluation of one signal established, once, for every rule that needs it.
 *
 * @param panic RPS is over the panic threshold in every minute of the signal window now
 * @param panicWithinHold it was at some minute of the panic hold period
 */
record SignalEvaluation(SignalRecommendation recommendation, boolean panic,
    boolean panicWithinHold) {

  Signal signal() {
    return recommendation.signal();
  }

  boolean fresh() {
    return recommendation.freshness() == Freshness.FRESH;
  }
}
