package inferscale.cli;

import dagger.Component;
import inferscale.aws.AwsClientsModule;
import inferscale.aws.ScalingCycle;
import javax.inject.Singleton;

/** The scaler's cycle wired to the caller's AWS credentials, region and endpoint settings. */
@Singleton
@Component(modules = AwsClientsModule.class)
interface CliAwsComponent {
  ScalingCycle cycle();
}
