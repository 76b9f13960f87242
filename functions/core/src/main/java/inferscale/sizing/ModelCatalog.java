package inferscale.sizing;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Reader;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Open models by name, with where their numbers come from and when they were read.
 *
 * @param read the date the numbers were checked, ISO-8601
 */
public record ModelCatalog(
    String source, String read, @JsonProperty(required = true) List<ModelSpec> models) {

  public ModelCatalog {
    models = List.copyOf(models);
  }

  /** The catalog shipped in this jar ({@code models.json}). */
  public static ModelCatalog builtIn() {
    return SizingJson.readBuiltIn("models.json", ModelCatalog.class);
  }

  /** One model in the form of a catalog entry, e.g. from a user's file. */
  public static ModelSpec parseModel(String name, Reader source) {
    return SizingJson.read(name, source, ModelSpec.class);
  }

  /** The model of that name, ignoring case. */
  public Optional<ModelSpec> find(String name) {
    return models.stream()
        .filter(m -> m.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
        .findFirst();
  }

  public List<String> names() {
    return models.stream().map(ModelSpec::name).toList();
  }
}
