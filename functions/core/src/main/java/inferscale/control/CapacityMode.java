package inferscale.control;

import java.util.Locale;

/** Whether the scaler checks capacity reservations before scaling out. */
public enum CapacityMode {
  RESERVATIONS,
  NONE;

  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException naming the accepted values */
  public static CapacityMode fromName(String name) {
    for (CapacityMode mode : values()) {
      if (mode.jsonName().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return mode;
      }
    }
    throw new IllegalArgumentException("must be 'reservations' or 'none', got '" + name + "'");
  }
}
