/**
 * The control layer: {@link inferscale.control.ScalerStep} and {@link
 * inferscale.control.ForecastStep}, the scaler's and the forecaster's whole work around the engine
 * and the forecaster (what to read, how far back, in which units, which forecast is current, the
 * floors, when to apply), written once. They reach the world only through small ports: {@link
 * inferscale.control.Telemetry}, {@link inferscale.control.ForecastStore}, {@link
 * inferscale.control.EndpointControl}, {@link inferscale.control.Capacity}, {@link
 * inferscale.control.PauseSwitch} and a {@link java.time.Clock}. The Lambda functions implement
 * them with CloudWatch, SageMaker, EC2 and the tagging API; the backtest with its simulated
 * endpoint. So a figure
 * the backtest reports is a figure about the code that runs on an endpoint.
 */
package inferscale.control;
