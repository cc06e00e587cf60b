package dev.claudedevc.cli;

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

    Path projectDir() {
        return directory.toAbsolutePath().normalize();
    }

    Optional<Path> descriptorFile() {
        return Optional.ofNullable(file).map(f -> projectDir().resolve(f).normalize());
    }

    Optional<Path> templatesDir() {
        return Optional.ofNullable(templates).map(t -> projectDir().resolve(t).normalize());
    }
}
