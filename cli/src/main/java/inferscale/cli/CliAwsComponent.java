package inferscale.cli;

import dagger.Component;
import inferscale.aws.AwsClientsModule;
import inferscale.aws.Ec2Module;
import inferscale.aws.SageMakerModule;
import inferscale.aws.ScalerWiring;
import javax.inject.Singleton;

/**
 * The scaler step, and what the CLI reads about an endpoint, wired to the caller's AWS
 * credentials, region and endpoint settings.
 */
@Singleton
@Component(modules = {AwsClientsModule.class, SageMakerModule.class, Ec2Module.class,
    CliClientsModule.class})
interface CliAwsComponent {
  ScalerWiring wiring();

  EndpointRecords endpointRecords();
}
