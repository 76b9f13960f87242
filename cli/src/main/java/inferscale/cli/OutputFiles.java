package inferscale.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks, before any work, that a file a command is to write can be written: a run that reads
 * days of metrics or simulates weeks should not fail only at its end.
 */
final class OutputFiles {
  private OutputFiles() {}

  /**
   * A usage error naming {@code flag} unless {@code file} is no folder and {@code probe}, a sibling
   * the command may write first, can be created beside it.
   */
  static void checkWritable(CommandSpec spec, String flag, Path file, Path probe) {
    Path target = file.toAbsolutePath();
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

  /** A hidden sibling of {@code file}, created as any other file (not owner-only). */
  static Path siblingOf(Path file, String suffix) {
    Path target = file.toAbsolutePath();
    return target.resolveSibling("." + target.getFileName() + suffix);
  }
}
