package inferscale.forecaster;

import dagger.Module;
import dagger.Provides;
import inferscale.forecast.Forecaster;

/** Binds the core forecaster: the same one the backtest's {@code inferscale} policy uses. */
@Module
public final class ForecastModule {
  @Provides
  static Forecaster forecaster() {
    return Forecaster.standard();
  }
}
