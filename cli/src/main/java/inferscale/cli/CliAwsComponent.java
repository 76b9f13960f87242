package inferscale.cli;

import dagger.Component;
import inferscale.aws.AwsClientsModule;
import inferscale.aws.ScalerWiring;
import javax.inject.Singleton;

/** The scaler step wired to the caller's AWS credentials, region and endpoint settings. */
@Singleton
@Component(modules = AwsClientsModule.class)
interface CliAwsComponent {
  ScalerWiring wiring();
}
