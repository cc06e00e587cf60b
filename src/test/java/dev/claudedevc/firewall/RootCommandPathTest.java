package dev.claudedevc.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated image's {@code PATH} is every process's, root's too ({@code docker exec -u 0}, devcontainer
 * tooling): a directory the agent can write (the native installer's {@code ~/.local/bin}) must come after the
 * system directories, or root runs the agent's {@code iptables}, {@code id} or {@code claude-devc-firewall}.
 */
class RootCommandPathTest {

    @Test
    void theUsersBinDirectoryComesAfterTheSystemDirectories(@TempDir Path project) throws IOException {
        Files.writeString(project.resolve("claude-devc.yaml"), """
                name: path-check
                user: dev
                claudeCode: {install: native, version: stable}
                """);
        CliRun.of("generate", "-C", project.toString()).exits(0);
        List<String> paths = Files.readAllLines(project.resolve(".devcontainer/Dockerfile")).stream()
                .filter(l -> l.startsWith("ENV PATH="))
                .toList();
        assertEquals(List.of("ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"), paths,
                "root's PATH: the system folders first, the agent's ~/.local/bin never");
        String json = Files.readString(project.resolve(".devcontainer/devcontainer.json"));
        assertTrue(json.contains("\"PATH\": \"${containerEnv:PATH}:/home/dev/.local/bin\""),
                "the user's own PATH ends with it: " + json);
    }
}
