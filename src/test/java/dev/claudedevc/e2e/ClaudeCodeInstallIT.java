package dev.claudedevc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.cli.Main;
import dev.claudedevc.model.ImageLayout;
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
            // The managed settings are in place, root-owned, and Claude Code starts with them.
            Container.ExecResult managed = dev.execInContainer("stat", "-c", "%U:%G %a",
                    ImageLayout.MANAGED_SETTINGS);
            assertEquals("root:root 644", managed.getStdout().strip(), managed.getStderr());
            Container.ExecResult write = dev.execInContainer("sh", "-c", "echo '{}' > " + ImageLayout.MANAGED_SETTINGS);
            assertTrue(write.getExitCode() != 0, "the user cannot write the managed settings");
            // Claude Code itself reads the file (offline): `claude update` obeys its DISABLE_UPDATES (the container's
            // own environment has none), and `claude doctor` names where that came from and finds no invalid setting.
            Container.ExecResult env = dev.execInContainer("sh", "-c", "env | grep -c DISABLE_ || true");
            assertEquals("0", env.getStdout().strip(), "the switches come from the managed settings only");
            Container.ExecResult update = dev.execInContainer("timeout", "60", "claude", "update");
            assertTrue(update.getStdout().contains("Updates are disabled by your administrator"),
                    update.getStdout() + update.getStderr());
            assertDoctorAccepts(dev, "the generated managed settings");
            // Every golden example's managed settings, as Claude Code's own validation sees them.
            for (Path example : examplesSettings()) {
                dev.copyFileToContainer(org.testcontainers.utility.MountableFile.forHostPath(example, 0644),
                        ImageLayout.MANAGED_SETTINGS);
                assertDoctorAccepts(dev, example.toString());
            }
            for (String cert : certs) {
                String name = Path.of(cert).getFileName().toString();
                Container.ExecResult trusted = dev.execInContainer("test", "-f",
                        "/usr/local/share/ca-certificates/claude-devc/" + name);
                assertEquals(0, trusted.getExitCode(), name + " is installed in the image");
            }
        }
        npmFailsFastOnABlockedName("claude-devc-it/npm:latest");
    }

    /**
     * A name the firewall refuses makes npm fail at once, not after its 70 s of retries (measured against the same
     * request with retries off, in the same container: this machine is often loaded), and the agent's user then finds the name
     * in the firewall's denial record. The image runs as a container start runs it: its entrypoint applies the
     * firewall (on no network: every name that is not allowed is refused by the local resolver).
     */
    private static void npmFailsFastOnABlockedName(String image) throws Exception {
        try (GenericContainer<?> dev = new GenericContainer<>(DockerImageName.parse(image))
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withNetworkMode("none")
                        .withCapAdd(com.github.dockerjava.api.model.Capability.NET_ADMIN,
                                com.github.dockerjava.api.model.Capability.NET_RAW))) {
            dev.start();
            Container.ExecResult ready = dev.execInContainer("claude-devc-firewall", "wait");
            assertEquals(0, ready.getExitCode(), ready.getStdout() + ready.getStderr());
            // The baseline is the same request with npm's retries off: what is left is the time the retries add
            // (npm's defaults: 10 s + 60 s). The fastest of three runs each, since this machine's load spikes say
            // nothing about retries.
            long baseline = Long.MAX_VALUE;
            long blocked = Long.MAX_VALUE;
            String request = "npm view left-pad --registry https://registry.blocked.example/";
            for (int i = 0; i < 3; i++) {
                baseline = Math.min(baseline, millis(dev, "! npm_config_fetch_retries=0 " + request));
                blocked = Math.min(blocked, millis(dev, "! " + request));
            }
            System.err.printf("npm view through a blocked name: %d ms (%d ms without retries)%n", blocked, baseline);
            assertTrue(blocked - baseline < 2000, "npm's retries of a blocked name add under 2 s, took "
                    + blocked + " ms against " + baseline + " ms without retries");
            Container.ExecResult denials = dev.execInContainer(ImageLayout.DENIALS.split(" "));
            assertTrue(denials.getStdout().contains("blocked by the dev container firewall: registry.blocked.example"
                    + " — ask to add it to claude-devc.yaml"), denials.getStdout() + denials.getStderr());
        }
    }

    /** `claude doctor` (offline) reports no invalid setting and shows the managed settings' update switch. */
    private static void assertDoctorAccepts(GenericContainer<?> dev, String what) throws Exception {
        Container.ExecResult doctor = dev.execInContainer("sh", "-c", "timeout 60 claude doctor </dev/null 2>&1");
        String out = doctor.getStdout();
        assertTrue(out.contains("Auto-updates: disabled (set by env: DISABLE_UPDATES)"), what + ":\n" + out);
        assertTrue(!out.contains("Invalid settings"), what + ":\n" + out);
    }

    private static List<Path> examplesSettings() throws IOException {
        try (Stream<Path> dirs = Files.list(dev.claudedevc.TestPaths.examples())) {
            return dirs.map(d -> d.resolve(".devcontainer/claude-code-managed-settings.json"))
                    .filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Milliseconds a shell command takes as the user; it must exit 0. */
    private static long millis(GenericContainer<?> dev, String script) throws Exception {
        long t0 = System.nanoTime();
        Container.ExecResult r = dev.execInContainer("bash", "-c", script);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, r.getExitCode(), script + ": " + r.getStdout() + r.getStderr());
        return ms;
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
