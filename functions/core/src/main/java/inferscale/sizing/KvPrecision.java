package inferscale.sizing;

import java.util.Locale;

/** Element type of the KV cache; {@code fp16} stands for bf16 too, both take two bytes. */
public enum KvPrecision {
  FP16(2),
  FP8(1);

  private final int bytesPerElement;

  KvPrecision(int bytesPerElement) {
    this.bytesPerElement = bytesPerElement;
  }

  public int bytesPerElement() {
    return bytesPerElement;
  }

  /** Lower case, as users type it on the command line and read it in reports. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
