package inferscale.forecaster;

import dagger.Module;
import dagger.Provides;

/** Binds the {@link ForecastModel}; swap the binding here when the core forecaster lands. */
@Module
public final class ForecastModule {
  @Provides
  static ForecastModel model() {
    return ForecastModel.notWiredYet();
  }
}
