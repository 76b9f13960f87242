package inferscale.sizing;

import java.util.Locale;

/** How the model's weights are stored on the accelerator. */
public enum WeightPrecision {
  FP16(2.0),
  INT8(1.0),
  INT4(0.5);

  private final double bytesPerWeight;

  WeightPrecision(double bytesPerWeight) {
    this.bytesPerWeight = bytesPerWeight;
  }

  public double bytesPerWeight() {
    return bytesPerWeight;
  }

  /** Lower case, as users type it on the command line and read it in reports. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
