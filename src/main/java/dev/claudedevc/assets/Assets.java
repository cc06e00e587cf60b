package dev.claudedevc.assets;

import dev.claudedevc.ClaudeDevcException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Built-in assets, addressed as {@code templates/NAME} or {@code firewall/NAME}, optionally overridden by a team's
 * folder: {@code DIR/NAME} replaces the built-in {@code templates/NAME} or {@code firewall/NAME} of the same
 * {@code NAME} (so {@code DIR/Dockerfile.mustache}, {@code DIR/claude-devc-firewall.sh},
 * {@code DIR/presets/npm.yaml}).
 */
public final class Assets {

    private static final String ROOT = "claude-devc/";

    private final Optional<Path> overrides;

    private Assets(Optional<Path> overrides) {
        this.overrides = overrides;
    }

    /** Only the built-in assets. */
    /** The team folder whose files override the built-in ones, if any. */
    public Optional<Path> overrides() {
        return overrides;
    }

    public static Assets builtIn() {
        return new Assets(Optional.empty());
    }

    /** Built-in assets, with {@code dir}'s files taking precedence by name. */
    public static Assets withOverrides(Optional<Path> dir) {
        dir.ifPresent(d -> {
            if (!Files.isDirectory(d)) {
                throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_OUTPUT,
                        "--templates " + d + ": not a folder");
            }
        });
        return new Assets(dir);
    }

    /**
     * Reads an asset.
     *
     * @param name {@code templates/...} or {@code firewall/...}
     * @return its bytes, or empty when neither the override folder nor the jar has it
     */
    public Optional<byte[]> read(String name) {
        Optional<Path> override = overridePath(name).filter(Files::isRegularFile);
        try {
            if (override.isPresent()) {
                return Optional.of(Files.readAllBytes(override.get()));
            }
            try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(ROOT + name)) {
                return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read asset " + name, e);
        }
    }

    /** Where an asset comes from, for messages: the override file or {@code built-in NAME}. */
    public String origin(String name) {
        return overridePath(name).filter(Files::isRegularFile).map(Path::toString).orElse("built-in " + name);
    }

    /**
     * Lists the files directly in an asset folder (built-in and override), by name, sorted.
     *
     * @param folder {@code templates}, {@code firewall} or {@code firewall/presets}
     */
    public TreeSet<String> list(String folder) {
        TreeSet<String> names = new TreeSet<>(listBuiltIn(folder));
        overridePath(folder + "/x").map(Path::getParent).filter(Files::isDirectory).ifPresent(dir -> {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(Files::isRegularFile).forEach(f -> names.add(f.getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return names;
    }

    private Optional<Path> overridePath(String name) {
        int slash = name.indexOf('/');
        return overrides.map(dir -> dir.resolve(name.substring(slash + 1)));
    }

    private static TreeSet<String> listBuiltIn(String folder) {
        URL url = Assets.class.getClassLoader().getResource(ROOT + folder);
        TreeSet<String> names = new TreeSet<>();
        if (url == null) {
            return names;
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                collect(fs.provider().getPath(uri), names);
            } else {
                collect(Path.of(uri), names);
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list built-in " + folder, e);
        }
        return names;
    }

    private static void collect(Path dir, TreeSet<String> names) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> names.add(f.getFileName().toString()));
        }
    }
}
