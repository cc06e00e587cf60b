package dev.claudedevc;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Where tests find the repository and the official JSON schemas they validate against (never copied into the
 * repository). A schema is looked for, in order: at the path in a system property; in the folder named by the
 * environment variable {@code CLAUDE_DEVC_SCHEMAS}; in {@code ../shared/schemas/} beside the repository; in
 * {@code target/schemas/}, where a networked machine fetches it once from its official URL when
 * {@code CLAUDE_DEVC_FETCH_SCHEMAS=1}. Tests fail (never skip) when none has it, saying exactly that.
 */
public final class TestPaths {

    /** The official Dev Container schema's home (devcontainers/spec). */
    static final String DEVCONTAINER_SCHEMA_URL =
            "https://raw.githubusercontent.com/devcontainers/spec/main/schemas/devContainer.base.schema.json";
    /** SchemaStore's Claude Code settings schema. */
    static final String CLAUDE_CODE_SETTINGS_SCHEMA_URL = "https://json.schemastore.org/claude-code-settings.json";

    private TestPaths() {
    }

    public static Path projectRoot() {
        return Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize();
    }

    public static Path examples() {
        return projectRoot().resolve("devcontainer-examples");
    }

    /** The official {@code devContainer.base.schema.json}. */
    public static Path devcontainerSchema() {
        return schema("devContainer.base.schema.json", "devcontainer.schema", DEVCONTAINER_SCHEMA_URL);
    }

    /** SchemaStore's {@code claude-code-settings.schema.json}. */
    public static Path claudeCodeSettingsSchema() {
        return schema("claude-code-settings.schema.json", "claude-code-settings.schema",
                CLAUDE_CODE_SETTINGS_SCHEMA_URL);
    }

    static Path schema(String file, String property, String url) {
        List<Path> tried = new ArrayList<>();
        String explicit = System.getProperty(property);
        if (explicit != null) {
            return found(Path.of(explicit), tried).orElseThrow(() -> missing(file, property, url, tried));
        }
        String dir = System.getenv("CLAUDE_DEVC_SCHEMAS");
        List<Path> candidates = new ArrayList<>();
        if (dir != null && !dir.isBlank()) {
            candidates.add(Path.of(dir).resolve(file));
        }
        candidates.add(projectRoot().resolve("../shared/schemas").resolve(file).normalize());
        Path cached = projectRoot().resolve("target/schemas").resolve(file);
        candidates.add(cached);
        for (Path candidate : candidates) {
            var hit = found(candidate, tried);
            if (hit.isPresent()) {
                return hit.get();
            }
        }
        if ("1".equals(System.getenv("CLAUDE_DEVC_FETCH_SCHEMAS"))) {
            fetch(url, cached);
            return cached;
        }
        throw missing(file, property, url, tried);
    }

    private static java.util.Optional<Path> found(Path candidate, List<Path> tried) {
        tried.add(candidate);
        return Files.isRegularFile(candidate) ? java.util.Optional.of(candidate) : java.util.Optional.empty();
    }

    private static AssertionError missing(String file, String property, String url, List<Path> tried) {
        return new AssertionError("the JSON schema " + file + " is missing; looked at " + tried + ". Put it in "
                + "../shared/schemas/ beside the repository, or set CLAUDE_DEVC_SCHEMAS=DIR (a folder holding it) or "
                + "-D" + property + "=FILE, or on a networked machine set CLAUDE_DEVC_FETCH_SCHEMAS=1 to download it "
                + "once from " + url + " into target/schemas/");
    }

    private static void fetch(String url, Path target) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(10_000);
            c.setReadTimeout(20_000);
            if (c.getResponseCode() != 200) {
                throw new AssertionError("fetching " + url + ": HTTP " + c.getResponseCode());
            }
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "schema", ".tmp");
            try (InputStream in = c.getInputStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AssertionError("fetching " + url + " into " + target + " failed: " + e.getMessage(), e);
        }
    }
}
