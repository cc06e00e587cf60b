package dev.claudedevc.generate;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The rendered {@code .devcontainer/} folder: files sorted by path. */
public final class GeneratedTree {

    private final TreeMap<String, GeneratedFile> files = new TreeMap<>();

    void add(GeneratedFile file) {
        if (files.putIfAbsent(file.path(), file) != null) {
            throw new IllegalStateException("two contributors wrote " + file.path());
        }
    }

    public Collection<GeneratedFile> files() {
        return Collections.unmodifiableCollection(files.values());
    }

    public Optional<GeneratedFile> get(String path) {
        return Optional.ofNullable(files.get(path));
    }

    public Map<String, GeneratedFile> asMap() {
        return Collections.unmodifiableMap(files);
    }
}
