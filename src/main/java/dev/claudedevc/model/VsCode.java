package dev.claudedevc.model;

import java.util.List;
import java.util.Map;

/**
 * VS Code customisations for the container.
 *
 * @param extensions extension ids ({@code publisher.name}), sorted and unique
 * @param settings   settings as JSON-compatible values (String, Boolean, Long, Double, List, Map), sorted by key
 */
public record VsCode(List<String> extensions, Map<String, Object> settings) {

    public VsCode {
        extensions = List.copyOf(extensions);
        settings = Map.copyOf(settings);
    }
}
