package inferscale.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Files a command writes: checked before any work (a run that reads days of metrics or simulates
 * weeks should not fail only at its end), then written whole or not at all.
 */
final class OutputFiles {
  private OutputFiles() {}

  /** Writes what a file is to hold, given the path to write it to. */
  @FunctionalInterface
  interface Content {
    void writeTo(Path path) throws IOException;
  }

  /**
   * A usage error naming {@code flag} unless {@code file} is no folder and the file {@link
   * #replace} first writes can be created beside it.
   */
  static void checkWritable(CommandSpec spec, String flag, Path file) {
    Path target = file.toAbsolutePath();
    Path probe = temporaryFor(target);
    if (Files.isDirectory(target)) {
      throw new ParameterException(spec.commandLine(),
          flag + ": " + target + " is a folder; give a file name");
    }
    Path folder = target.getParent();
    if (!Files.isDirectory(folder)) {
      throw new ParameterException(spec.commandLine(),
          flag + ": the folder " + folder + " does not exist");
    }
    if (!Files.isWritable(folder)) {
      throw new ParameterException(spec.commandLine(),
          flag + ": the folder " + folder + " cannot be written to");
    }
    // Permissions do not tell everything (root in /proc, a read-only mount): try a file there.
    try {
      Files.deleteIfExists(probe);
      Files.createFile(probe);
      Files.delete(probe);
    } catch (IOException | UnsupportedOperationException e) {
      String reason = e instanceof FileSystemException refused ? refused.getReason() : null;
      throw new ParameterException(spec.commandLine(), flag + ": no file can be created in the"
          + " folder " + folder + (reason == null ? "" : " (" + reason + ")"));
    }
  }

  /**
   * Writes {@code content} beside {@code file}, then moves it onto the file: a write that fails
   * half way leaves the file as it was.
   *
   * @return the file written, as an absolute path
   */
  static Path replace(Path file, Content content) throws IOException {
    Path target = file.toAbsolutePath();
    Path temporary = temporaryFor(target);
    try {
      content.writeTo(temporary);
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
    return target;
  }

  /** A hidden sibling, created as any other file (createTempFile would make it owner-only). */
  private static Path temporaryFor(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp");
  }
}
