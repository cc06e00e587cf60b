package dev.claudedevc.descriptor;

import dev.claudedevc.model.Descriptor;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A descriptor with where it came from.
 *
 * @param file       the descriptor file
 * @param descriptor its validated content
 * @param sha256     hex SHA-256 of the file's bytes (labels images built from it)
 * @param sources    where each of its values was written
 */
public record LoadedDescriptor(Path file, Descriptor descriptor, String sha256, SourceMap sources) {

    public LoadedDescriptor {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(sources, "sources");
    }

    /** The folder the descriptor lives in: the project root, against which relative paths resolve. */
    public Path projectDir() {
        return file.toAbsolutePath().getParent();
    }
}
