package dev.claudedevc.cli;

import dev.claudedevc.ClaudeDevcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options of every command that works on a project: where it is and which descriptor and templates to use. */
final class ProjectOptions {

    @Option(names = {"-C", "--directory"}, paramLabel = "DIR", defaultValue = ".",
            description = "The project folder (default: the current folder).")
    Path directory;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "The descriptor (default: the project folder's claude-devc.yaml, or the .yml or .json file).")
    Path file;

    @Option(names = "--templates", paramLabel = "DIR",
            description = "A folder whose files override the built-in templates and firewall assets by name.")
    Path templates;

    /**
     * The project folder as a real path (symbolic links resolved, so that only links inside it matter to the
     * writer), or a file-system error (exit 10) when it does not exist or is not a folder.
     */
    Path projectDir() {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, "no such folder: " + dir + " (-C names the"
                    + " project folder)");
        }
        if (!Files.isDirectory(dir)) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, dir + " is not a folder (-C names the project"
                    + " folder)");
        }
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, "cannot open " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The descriptor named with {@code -f}, relative to the current folder (as every command-line path is). */
    Optional<Path> descriptorFile() {
        return Optional.ofNullable(file).map(f -> f.toAbsolutePath().normalize());
    }

    Optional<Path> templatesDir() {
        return Optional.ofNullable(templates).map(t -> projectDir().resolve(t).normalize());
    }
}
