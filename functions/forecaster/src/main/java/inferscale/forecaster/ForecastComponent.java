package inferscale.forecaster;

import dagger.Component;
import inferscale.aws.AwsClientsModule;
import inferscale.aws.ForecastWiring;
import inferscale.aws.TaggingModule;
import javax.inject.Singleton;

/** Wires the forecast step's AWS adapters to the SDK clients, once per container. */
@Singleton
@Component(modules = {AwsClientsModule.class, TaggingModule.class, ForecastModule.class})
interface ForecastComponent {
  ForecastWiring wiring();
}
