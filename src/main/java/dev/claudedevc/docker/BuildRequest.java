package dev.claudedevc.docker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An image build.
 *
 * @param contextDir the build context; its {@code Dockerfile} is used. Files keep their POSIX modes.
 * @param tags       the tags to apply, at least one
 * @param labels     image labels
 * @param buildArgs  {@code ARG} values
 * @param noCache    build every step anew
 */
public record BuildRequest(Path contextDir, List<String> tags, Map<String, String> labels,
        Map<String, String> buildArgs, boolean noCache) {

    public BuildRequest {
        Objects.requireNonNull(contextDir, "contextDir");
        tags = List.copyOf(tags);
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("at least one tag");
        }
        labels = Map.copyOf(labels);
        buildArgs = Map.copyOf(buildArgs);
    }

    /** The build args, sorted by name. */
    public Map<String, String> sortedBuildArgs() {
        return new TreeMap<>(buildArgs);
    }
}
