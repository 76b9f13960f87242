/**
 * Per-minute demand forecasting for capacity planning. Pure and deterministic: no I/O, no clock.
 *
 * <p>The engine calls {@link inferscale.forecast.Forecaster#standard()} with up to 28 days of
 * per-minute requests ({@code NaN} = no data) and gets a {@link inferscale.forecast.Forecast}: a
 * point forecast and an upper quantile (p90 by default, see {@link
 * inferscale.forecast.ForecasterConfig}) for each of the next minutes, the cycle it used, or
 * {@link inferscale.forecast.ForecastStatus#FORECAST_INSUFFICIENT_HISTORY} with less than a day.
 *
 * <p>The standard forecaster blends candidate methods per band of horizons (up to 15, 60 and 120
 * minutes ahead, and beyond), by how well each forecast this series when replayed over the last
 * week, recent days counting most ({@code BlendedMethod}): the seasonal profile below,
 * Holt-Winters, the last value, the means of the last 10 and 60 minutes, and a damped trend. A
 * series without a usable cycle (LLM fleet traffic moving in steps) falls back to the level
 * methods, one with a strong cycle keeps the profile, and each {@link
 * inferscale.forecast.Forecast#blends()} says which it used and on what evidence.
 *
 * <p>How the seasonal profile handles what real traffic does:
 *
 * <ul>
 *   <li>Daily and weekly cycles: a profile over the same minutes of the last 7 days or 4 weeks;
 *       weekly only with 3 weeks of history and when replaying the last week shows it forecasts
 *       better. Under a week of history it is always daily.
 *   <li>Counting noise: each past period contributes its mean over ±30 minutes, so the forecast
 *       follows demand, not the noise of single minutes.
 *   <li>Flash crowds: the highest (and lowest) period is trimmed before averaging, so a one-off
 *       spike is not learnt as "every Thursday".
 *   <li>Level shifts and trends: the forecast is the recent demand (over the last 5 to 120
 *       minutes, whichever window forecast this series' next hour best when replayed) times how
 *       demand grew from that window to the minute forecast on past days, each day measured
 *       against its own level: a new client, a holiday or growth changes no shape, and a day whose
 *       level stepped in between is the one trimmed. (Extrapolating a trend was tried and made
 *       every walk-forward score worse.)
 *   <li>Gaps and outages: missing minutes are skipped; a run of at least 10 zero minutes where
 *       the same minutes of nearby days saw at least 20 requests is an outage and skipped too,
 *       while zeros that are normal for those minutes stay demand.
 * </ul>
 *
 * <p>Saturated minutes ({@link inferscale.forecast.Forecaster#forecast(double[],
 * java.util.BitSet, int)}: the endpoint served less than came) are lower bounds: recent ones are
 * filled with what was forecast for them before the saturation, and while it lasts the next hour
 * is never forecast below what was served.
 *
 * <p>The upper quantile is split-conformal: the blend is replayed from hourly origins over the
 * last week and, per horizon bucket (a quarter of the horizon wide), the quantile of its errors is
 * added to the point forecast, recent origins weighing most (a day's half-life: how large errors
 * are drifts) and the level raised by one origin's worth as conformal prediction does. Errors are
 * standardized by sqrt(point + 1) (counting noise) or by point + 1 (noise that is a share of the
 * rate), whichever gives the narrower band.
 *
 * <p>{@link inferscale.forecast.WalkForwardEvaluation} scores forecasters on a trace the way
 * they would have run; {@code inferscale forecast-eval} prints it for the standard forecaster
 * and the baselines in {@link inferscale.forecast.Forecasters}.
 */
package inferscale.forecast;
