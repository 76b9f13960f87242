package inferscale.scaler;

import dagger.Component;
import inferscale.aws.AwsClientsModule;
import inferscale.aws.ScalerWiring;
import javax.inject.Singleton;

/** Wires the scaler step's AWS adapters to the SDK clients, once per container. */
@Singleton
@Component(modules = AwsClientsModule.class)
interface ScalerComponent {
  ScalerWiring wiring();
}
