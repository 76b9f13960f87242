package inferscale.scaler;

import dagger.Component;
import inferscale.aws.AwsClientsModule;
import inferscale.aws.Ec2Module;
import inferscale.aws.SageMakerModule;
import inferscale.aws.ScalerWiring;
import javax.inject.Singleton;

/** Wires the scaler step's AWS adapters to the SDK clients, once per container. */
@Singleton
@Component(modules = {AwsClientsModule.class, SageMakerModule.class, Ec2Module.class})
interface ScalerComponent {
  ScalerWiring wiring();
}
