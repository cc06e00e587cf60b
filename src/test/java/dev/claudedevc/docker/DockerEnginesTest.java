package dev.claudedevc.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.ClaudeDevcException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the engine is looked for, and what the user sees when none answers. */
class DockerEnginesTest {

    @Test
    void dockerHostWins() {
        assertEquals("tcp://10.0.0.1:2375", DockerEngines.resolveHost(Map.of("DOCKER_HOST", "tcp://10.0.0.1:2375"),
                p -> true));
    }

    @Test
    void theDockerSocketComesNext() {
        assertEquals("unix:///var/run/docker.sock", DockerEngines.resolveHost(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"),
                p -> true));
    }

    @Test
    void podmansRootlessSocketWhenThereIsNoDockerSocket() {
        Set<Path> present = Set.of(Path.of("/run/user/1000/podman/podman.sock"), Path.of("/run/podman/podman.sock"));
        assertEquals("unix:///run/user/1000/podman/podman.sock",
                DockerEngines.resolveHost(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), present::contains));
    }

    @Test
    void podmansRootfulSocketWhenThereIsNoRootlessOne() {
        Set<Path> present = Set.of(Path.of("/run/podman/podman.sock"));
        assertEquals("unix:///run/podman/podman.sock", DockerEngines.resolveHost(Map.of(), present::contains));
    }

    @Test
    void withNothingPresentTheDockerSocketIsNamedInTheError() {
        assertEquals("unix:///var/run/docker.sock", DockerEngines.resolveHost(Map.of("DOCKER_HOST", " "), p -> false));
    }

    @Test
    void anEngineThatIsNotThereIsOneClearLineAndItsOwnKind(@TempDir Path dir) {
        String host = "unix://" + dir.resolve("no-such.sock");
        long t0 = System.nanoTime();
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class,
                () -> DockerEngines.connect(Map.of("DOCKER_HOST", host)));
        assertEquals(ClaudeDevcException.Kind.DOCKER_UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().startsWith("no Docker engine at " + host + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "gave up within the ping timeout");
    }
}
