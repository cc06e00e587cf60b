package dev.claudedevc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.cli.Main;
import dev.claudedevc.testing.DockerRequired;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Claude Code really gets into the image: {@code claudeCode.install: npm} from the npm registry during the build,
 * through this machine's TLS-inspecting proxy, whose CA certificates the descriptor's {@code caCertificates}
 * feature adds to the image (the case of a user behind a corporate proxy). The running container then has a
 * working {@code claude} for the non-root user. (Only the image build talks to the registry; the container runs
 * on no network.)
 */
class ClaudeCodeInstallIT {

    private static final Path MACHINE_CAS = Path.of("/usr/local/share/ca-certificates");
    /** Pinned: a later release may need a newer Node.js than Debian bookworm's, which is not what this proves. */
    private static final String CLAUDE_VERSION = "2.1.332";

    @TempDir
    Path repo;

    @Test
    void npmInstallWithTheMachinesExtraCaCertificatesGivesAWorkingClaude() throws Exception {
        DockerRequired.check();
        List<String> certs = copyMachineCertificates();
        Files.writeString(repo.resolve("claude-devc.yaml"), String.join("\n",
                "name: claude-devc-it-npm",
                "image: " + System.getProperty("claude-devc.base-image", "local/debian:bookworm"),
                "claudeCode: {install: npm, version: " + CLAUDE_VERSION + "}",
                "caCertificates: [" + String.join(", ", certs) + "]",
                "network: {presets: [anthropic, npm]}",
                ""));
        assertEquals(0, cli("generate", "-C", repo.toString()));
        assertEquals(0, cli("build", "-C", repo.toString(), "-q", "-t", "claude-devc-it/npm:latest"));

        try (GenericContainer<?> dev = new GenericContainer<>(DockerImageName.parse("claude-devc-it/npm:latest"))
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("sleep", "infinity")
                        .getHostConfig().withNetworkMode("none"))) {
            dev.start();
            Container.ExecResult version = dev.execInContainer("claude", "--version");
            assertEquals(0, version.getExitCode(), version.getStderr());
            assertTrue(version.getStdout().startsWith(CLAUDE_VERSION + " (Claude Code)"), version.getStdout());
            Container.ExecResult user = dev.execInContainer("id", "-un");
            assertEquals("dev", user.getStdout().strip());
            for (String cert : certs) {
                String name = Path.of(cert).getFileName().toString();
                Container.ExecResult trusted = dev.execInContainer("test", "-f",
                        "/usr/local/share/ca-certificates/claude-devc/" + name);
                assertEquals(0, trusted.getExitCode(), name + " is installed in the image");
            }
        }
    }

    /** The machine's extra CAs (a TLS-inspecting proxy's), as project files the descriptor can name. */
    private List<String> copyMachineCertificates() throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(MACHINE_CAS)) {
            return names;
        }
        Path dir = Files.createDirectories(repo.resolve("certs"));
        try (Stream<Path> files = Files.list(MACHINE_CAS)) {
            for (Path cert : files.filter(f -> f.toString().endsWith(".crt")).sorted().toList()) {
                Files.copy(cert, dir.resolve(cert.getFileName()));
                names.add("certs/" + cert.getFileName());
            }
        }
        return names;
    }

    private static int cli(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (code != 0) {
            System.err.println(err.toString(StandardCharsets.UTF_8));
        }
        return code;
    }
}
