package dev.claudedevc;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the repository and the official Dev Container schema (never copied into the repository). */
public final class TestPaths {

    private TestPaths() {
    }

    public static Path projectRoot() {
        return Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize();
    }

    public static Path examples() {
        return projectRoot().resolve("devcontainer-examples");
    }

    /** {@code ../shared/schemas/devContainer.base.schema.json}; tests fail (not skip) when it is missing. */
    public static Path devcontainerSchema() {
        Path schema = Path.of(System.getProperty("devcontainer.schema",
                projectRoot().resolve("../shared/schemas/devContainer.base.schema.json").toString()));
        if (!Files.isRegularFile(schema)) {
            throw new AssertionError("the official Dev Container schema is missing at " + schema
                    + " (expected beside the repository in shared/schemas/)");
        }
        return schema;
    }
}
