package dev.claudedevc.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entrypoint runs with the environment {@code docker run -e} gives it: a PATH that puts a folder of planted
 * programs first must not change what it runs. Here the real firewall is absent (this is the host), so the
 * entrypoint must refuse to run the command; with planted {@code id}, {@code env}, {@code sudo}, {@code grep}
 * that claim success it would run it open.
 */
class EntrypointEnvironmentTest {

    private static final Path ENTRYPOINT = TestPaths.projectRoot().resolve("firewall/claude-devc-entrypoint.sh");

    @Test
    void aPlantedPathDoesNotChangeWhatTheEntrypointRuns(@TempDir Path dir) throws IOException, InterruptedException {
        Path planted = Files.createDirectories(dir.resolve("bin"));
        Path marker = dir.resolve("planted-ran");
        for (String tool : List.of("id", "env", "sudo", "grep", "sleep", "claude-devc-firewall")) {
            Path fake = planted.resolve(tool);
            Files.writeString(fake, "#!/bin/sh\necho " + tool + " >> " + marker + "\n"
                    + (tool.equals("id") ? "echo 1000\n" : "") + "exit 0\n");
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        ProcessBuilder pb = new ProcessBuilder("bash", ENTRYPOINT.toString(), "echo", "COMMAND-RAN")
                .redirectErrorStream(true);
        pb.environment().put("PATH", planted + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(marker), () -> "planted programs ran: " + read(marker) + "\n" + output);
        assertFalse(output.contains("COMMAND-RAN"), output);
        assertEquals(1, p.exitValue(), output);
        assertTrue(output.contains("refusing to run the container open"), output);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
