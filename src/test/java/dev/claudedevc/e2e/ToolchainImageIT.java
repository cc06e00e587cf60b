package dev.claudedevc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dev.claudedevc.cli.Main;
import dev.claudedevc.model.ImageLayout;
import dev.claudedevc.testing.DockerRequired;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * The image {@code init} makes for a repository with several toolchains, built on a locally made stand-in of an
 * official Dev Container image (no registry is reachable here): the stand-in has what the official images bring
 * (user {@code vscode}, uid 1000, with {@code vscode ALL=(root) NOPASSWD:ALL} in /etc/sudoers.d; a
 * {@code devcontainer.metadata} label adding SYS_PTRACE and seccomp=unconfined; a toolchain folder the user can
 * write, first on PATH, holding a planted {@code git}). Each claim is first shown to be false on the stand-in, then
 * true on the generated image: the agent's user has node (from the base), Python with venv, a JDK and Go (from
 * Debian packages) and git; sudo allows the firewall's exact entries and nothing else; the label is reset; the
 * toolchain folder is root-owned; root finds the system's git first. The containers only sleep: no network use.
 */
class ToolchainImageIT {

    static final String BASE_IMAGE = System.getenv().getOrDefault("CLAUDE_DEVC_BASE_IMAGE", "local/debian:bookworm");
    static final String RUN = java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(3));
    static final String STAND_IN = "claude-devc-it/official-node-standin:" + RUN;
    static final String TAG = "claude-devc-it/toolchains:" + RUN;
    static final String TOOLCHAIN_BIN = "/usr/local/share/nvm/versions/node/v18/bin";

    /** What an official image brings that the box must not inherit (layout as in devcontainers/images). */
    static final String STAND_IN_DOCKERFILE = """
            FROM %s
            RUN apt-get update && apt-get install -y --no-install-recommends sudo nodejs \\
             && rm -rf /var/lib/apt/lists/*
            RUN groupadd --gid 1000 vscode && useradd --uid 1000 --gid 1000 --create-home --shell /bin/bash vscode \\
             && groupadd nvm && usermod -aG nvm vscode \\
             && echo 'vscode ALL=(root) NOPASSWD:ALL' > /etc/sudoers.d/vscode && chmod 0440 /etc/sudoers.d/vscode \\
             && mkdir -p %s && ln -s /usr/bin/node %s/node \\
             && printf '#!/bin/sh\\necho planted-git\\n' > %s/git && chmod 0755 %s/git \\
             && ln -s /usr/local/share/nvm/versions/node/v18 /usr/local/share/nvm/current \\
             && chown -R vscode:nvm /usr/local/share/nvm && chmod -R g+ws /usr/local/share/nvm
            ENV NVM_DIR=/usr/local/share/nvm
            ENV PATH=/usr/local/share/nvm/current/bin:$PATH
            LABEL devcontainer.metadata="[{\\"id\\":\\"ghcr.io/devcontainers/features/common-utils:2\\"},{\\"capAdd\\":[\\"SYS_PTRACE\\"],\\"securityOpt\\":[\\"seccomp=unconfined\\"],\\"remoteUser\\":\\"vscode\\"}]"
            USER vscode
            """;

    @TempDir
    static Path work;

    static GenericContainer<?> standIn;
    static GenericContainer<?> box;
    static String initErr;
    static Path repo;

    @BeforeAll
    static void buildStandInAndTheGeneratedImage() throws Exception {
        DockerRequired.check();
        new ImageFromDockerfile(STAND_IN, false).withDockerfileFromBuilder(b -> { })
                .withFileFromString("Dockerfile", STAND_IN_DOCKERFILE.formatted(BASE_IMAGE, TOOLCHAIN_BIN,
                        TOOLCHAIN_BIN, TOOLCHAIN_BIN, TOOLCHAIN_BIN))
                .get();
        Path repo = Files.createDirectories(work.resolve("repo"));
        // A repository with several ecosystems: Node first (its official image is the base), then Maven, Python, Go.
        Files.writeString(repo.resolve("package.json"), "{\"engines\": {\"node\": \">=18\"}}\n");
        Files.writeString(repo.resolve("pom.xml"), "<project><properties><maven.compiler.release>17"
                + "</maven.compiler.release></properties></project>\n");
        Files.writeString(repo.resolve("pyproject.toml"), "[project]\nrequires-python = \">=3.10\"\n");
        Files.writeString(repo.resolve("go.mod"), "module example.test/x\n\ngo 1.19\n");
        ToolchainImageIT.repo = repo;
        String[] init = cli("init", "-C", repo.toString(), "--claude-install", "none", "--name", "toolchains-" + RUN);
        assertEquals("0", init[0], init[1]);
        initErr = init[1];
        String[] build = cli("build", "-C", repo.toString(), "-q", "--base-image", STAND_IN, "-t", TAG);
        assertEquals("0", build[0], build[1]);
        standIn = sleeping(STAND_IN);
        box = sleeping(TAG);
    }

    private static GenericContainer<?> sleeping(String image) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("sleep").withCmd("infinity"))
                .withNetworkMode("none");
        c.start();
        return c;
    }

    @AfterAll
    static void remove() {
        for (GenericContainer<?> c : new GenericContainer<?>[] {standIn, box}) {
            if (c != null) {
                c.stop();
            }
        }
        DockerClient docker = DockerClientFactory.instance().client();
        for (String image : List.of(TAG, STAND_IN)) {
            try {
                docker.removeImageCmd(image).withForce(true).exec();
            } catch (RuntimeException e) {
                // already gone
            }
        }
    }

    private static String[] cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)};
    }

    private static Container.ExecResult as(GenericContainer<?> c, String user, String script) throws Exception {
        return c.execInContainer(org.testcontainers.containers.ExecConfig.builder().user(user)
                .command(new String[] {"bash", "-c", script}).build());
    }

    private static String ok(GenericContainer<?> c, String user, String script) throws Exception {
        Container.ExecResult r = as(c, user, script);
        assertEquals(0, r.getExitCode(), script + "\n" + r.getStdout() + r.getStderr());
        return r.getStdout() + r.getStderr();
    }

    @Test
    void initChoseTheNodeImageAsTheBaseAndTheOthersFromDebian() {
        assertTrue(initErr.contains("base image: mcr.microsoft.com/devcontainers/typescript-node:20-bookworm, user vscode"),
                initErr);
    }

    @Test
    void theAgentsUserHasEveryToolchainAndGit() throws Exception {
        assertEquals("1000", ok(box, "vscode", "id -u").strip());
        assertTrue(ok(box, "vscode", "node --version").startsWith("v18."), "node from the base image");
        assertTrue(ok(box, "vscode", "command -v node").strip().startsWith("/usr/"), "system node first on PATH");
        ok(box, "vscode", "python3 -m venv /tmp/venv && /tmp/venv/bin/python -c 'import sys; print(sys.version)'");
        assertTrue(ok(box, "vscode", "javac -version").contains("javac 17"));
        assertTrue(ok(box, "vscode", "mvn --version").contains("Apache Maven 3"));
        assertTrue(ok(box, "vscode", "go version").contains("go1.19"));
        assertTrue(ok(box, "vscode", "git --version").startsWith("git version 2."));
        assertEquals("vscode:vscode vscode:vscode vscode:vscode", ok(box, "root",
                "stat -c %U:%G /home/vscode/.npm /home/vscode/.m2 /home/vscode/go").replace('\n', ' ').strip(),
                "caches belong to the user (per-project volumes mount there)");
    }

    @Test
    void sudoAllowsTheFirewallsExactEntriesAndNothingElse() throws Exception {
        assertEquals(0, as(standIn, "vscode", "sudo -n true").getExitCode(), "the stand-in grants everything");
        String listed = ok(box, "vscode", "sudo -n -l");
        List<String> entries = new ArrayList<>(listed.lines().filter(l -> l.startsWith("    (")).map(String::strip)
                .toList());
        assertEquals(ImageLayout.SUDO_COMMANDS.stream().map(c -> "(root) NOPASSWD: " + c).toList(), entries, listed);
        assertNotEquals(0, as(box, "vscode", "sudo -n true").getExitCode());
        assertNotEquals(0, as(box, "vscode", "test -e /etc/sudoers.d/vscode").getExitCode());
    }

    /** inspect on what runs: the merged configuration (image label + devcontainer.json) and root's PATH. */
    @Test
    void inspectFlagsTheStandInsLabelAndWritablePathAsHighAndNeitherInTheGeneratedImage() throws Exception {
        String standInReport = cli("inspect", "-C", repo.toString(), "--container", standIn.getContainerId(),
                "--json")[1];
        assertTrue(standInReport.contains("capAdd SYS_PTRACE") && standInReport.contains("seccomp=unconfined"),
                standInReport);
        assertTrue(standInReport.contains(TOOLCHAIN_BIN.replace("versions/node/v18", "current")) 
                || standInReport.contains(TOOLCHAIN_BIN), standInReport);
        String boxReport = cli("inspect", "-C", repo.toString(), "--container", box.getContainerId(), "--json")[1];
        assertTrue(!boxReport.contains("merged-config") && !boxReport.contains("root-path"), boxReport);
    }

    @Test
    void theDevContainerMetadataLabelIsReset() {
        DockerClient docker = DockerClientFactory.instance().client();
        String inherited = docker.inspectImageCmd(STAND_IN).exec().getConfig().getLabels().get("devcontainer.metadata");
        assertTrue(inherited.contains("SYS_PTRACE") && inherited.contains("seccomp=unconfined"), inherited);
        assertEquals("[]", docker.inspectImageCmd(TAG).exec().getConfig().getLabels().get("devcontainer.metadata"));
    }

    @Test
    void theToolchainFolderIsRootOwnedAndRootFindsTheSystemsGitFirst() throws Exception {
        assertEquals(0, as(standIn, "vscode", "test -w " + TOOLCHAIN_BIN).getExitCode(), "writable on the stand-in");
        assertEquals("planted-git", ok(standIn, "root", "git").strip(), "the stand-in's root runs the planted git");

        assertNotEquals(0, as(box, "vscode", "test -w " + TOOLCHAIN_BIN).getExitCode());
        assertNotEquals(0, as(box, "vscode", "touch /usr/local/share/nvm/x").getExitCode());
        assertEquals("root:root", ok(box, "root", "stat -L -c %U:%G " + TOOLCHAIN_BIN).strip());
        assertEquals("", ok(box, "root", "find /usr/local/share/nvm -perm /022 ! -type l").strip(),
                "nothing in it is group- or world-writable");
        String git = ok(box, "root", "command -v git").strip();
        assertTrue(git.equals("/usr/bin/git") || git.equals("/usr/local/bin/git"), "a system folder's git: " + git);
        assertTrue(ok(box, "root", "git --version").startsWith("git version 2."), "not the planted one");
        String path = ok(box, "root", "printf %s \"$PATH\"");
        assertTrue(path.startsWith("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:"), path);
        assertTrue(!path.contains("/home/"), "nothing the agent can write on root's PATH: " + path);
    }
}
