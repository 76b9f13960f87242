package inferscale.dispatcher;

import dagger.Component;
import inferscale.aws.AwsClientsModule;
import inferscale.aws.DispatcherWiring;
import inferscale.aws.FleetModule;
import inferscale.aws.SageMakerModule;
import inferscale.aws.TaggingModule;
import javax.inject.Singleton;

/** Wires the fleet dispatcher's AWS adapters to the SDK clients, once per container. */
@Singleton
@Component(modules = {AwsClientsModule.class, SageMakerModule.class, TaggingModule.class,
    FleetModule.class})
interface DispatcherComponent {
  DispatcherWiring wiring();
}
