package dev.claudedevc.docker;

import java.util.Map;
import java.util.Objects;

/**
 * A running container found on the engine.
 *
 * @param id      the container id
 * @param name    its name, without the leading {@code /}
 * @param imageId the id of the image it runs
 * @param labels  its labels (the Dev Containers tools set {@code devcontainer.local_folder} and
 *                {@code devcontainer.config_file})
 */
public record RunningContainer(String id, String name, String imageId, Map<String, String> labels) {

    public RunningContainer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(imageId, "imageId");
        labels = Map.copyOf(labels);
    }
}
