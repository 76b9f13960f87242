package inferscale.forecaster;

import dagger.Component;
import inferscale.aws.AwsClientsModule;
import javax.inject.Singleton;

/** Wires the forecast run to the SDK clients, once per container. */
@Singleton
@Component(modules = {AwsClientsModule.class, ForecastModule.class})
interface ForecastComponent {
  ForecastRun run();

  PauseCheck pauseCheck();
}
