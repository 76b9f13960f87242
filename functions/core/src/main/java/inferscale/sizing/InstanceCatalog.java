package inferscale.sizing;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Reader;
import java.util.List;
import java.util.Optional;

/**
 * Instance types with their prices in one region, and where those prices come from.
 *
 * @param pricesCompiled the date the prices were put together, ISO-8601
 * @param performanceSource where the accelerators' bandwidth and FLOPs come from
 */
public record InstanceCatalog(
    String region,
    String pricesCompiled,
    String priceSource,
    String memorySource,
    String performanceSource,
    @JsonProperty(required = true) List<InstanceType> instances) {

  public InstanceCatalog {
    instances = List.copyOf(instances);
    if (instances.isEmpty()) {
      throw new InvalidSizingInputException("instances", "must list at least one instance type");
    }
  }

  /** The type named {@code name}, if this catalog lists it. */
  public Optional<InstanceType> find(String name) {
    return instances.stream().filter(type -> type.name().equals(name)).findFirst();
  }

  /** The catalog shipped in this jar ({@code instances.json}). */
  public static InstanceCatalog builtIn() {
    return SizingJson.readBuiltIn("instances.json", InstanceCatalog.class);
  }

  /** A catalog in the built-in one's format, e.g. a user's own prices. */
  public static InstanceCatalog parse(String name, Reader source) {
    return SizingJson.read(name, source, InstanceCatalog.class);
  }
}
