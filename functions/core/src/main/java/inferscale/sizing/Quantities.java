package inferscale.sizing;

import java.math.BigDecimal;

/** How sizing writes numbers for people: reports, reasons and the CLI table agree. */
public final class Quantities {
  private Quantities() {}

  /** The shortest plain decimal form: 24 rather than 24.0, 2.5 as it is. */
  public static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
