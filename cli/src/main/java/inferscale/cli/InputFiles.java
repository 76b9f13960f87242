package inferscale.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Opens a file a command was given and turns a missing or unreadable one into a usage error. */
final class InputFiles {
  private InputFiles() {}

  /** {@code parser} applied to the UTF-8 text of {@code file}, which the option {@code flag} named. */
  static <T> T parse(CommandSpec spec, String flag, Path file, Function<Reader, T> parser) {
    if (Files.isDirectory(file)) {
      throw new ParameterException(
          spec.commandLine(), flag + ": " + file + " is a folder, not a file");
    }
    try {
      return parser.apply(Files.newBufferedReader(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new ParameterException(spec.commandLine(), flag + ": no such file: " + file);
    } catch (IOException e) {
      throw unreadable(spec, flag, file, e);
    } catch (UncheckedIOException e) {
      // The parsers wrap what went wrong in a "cannot read" of their own: say it once.
      throw unreadable(spec, flag, file, e.getCause());
    }
  }

  private static ParameterException unreadable(
      CommandSpec spec, String flag, Path file, IOException cause) {
    if (cause instanceof CharacterCodingException) {
      return new ParameterException(spec.commandLine(), flag + ": " + file + " is not UTF-8 text");
    }
    String reason =
        cause instanceof AccessDeniedException ? "permission denied" : cause.getMessage();
    return new ParameterException(
        spec.commandLine(), flag + ": cannot read " + file + ": " + reason);
  }
}
