package inferscale.scaler;

import dagger.Component;
import inferscale.aws.AwsClientsModule;
import inferscale.aws.ScalingCycle;
import javax.inject.Singleton;

/** Wires the scaling cycle to the SDK clients, once per container. */
@Singleton
@Component(modules = AwsClientsModule.class)
interface ScalerComponent {
  ScalingCycle cycle();
}
