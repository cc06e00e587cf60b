package dev.claudedevc.docker;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A local image.
 *
 * @param id     the image id, {@code sha256:…}
 * @param tags   its repository tags
 * @param labels its labels
 */
public record ImageInfo(String id, List<String> tags, Map<String, String> labels) {

    public ImageInfo {
        Objects.requireNonNull(id, "id");
        tags = List.copyOf(tags);
        labels = Map.copyOf(labels);
    }
}
