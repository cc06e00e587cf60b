package dev.claudedevc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.claudedevc.cli.Main;
import dev.claudedevc.testing.CachedImages;
import dev.claudedevc.testing.DockerRequired;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.ExecConfig;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * Review: what the agent's user can write outside its own places (home, /tmp, the workspace, the shell history), in
 * the box built from the Node stand-in of {@link OfficialImageStandInsIT} (its official image's layout: a global
 * prefix for the user's group, and {@code npm config --global set prefix}, which writes npm's global config 0666).
 * Nothing: a file there that root reads is the agent's code run as root. The global npmrc was such a file (every
 * npm reads it, root's included; a {@code script-shell} or {@code node-options} line in it runs what the agent
 * chose the next time root runs npm), and is shown writable on the stand-in first.
 */
class AgentWritableFilesIT {

    static final OfficialImageStandInsIT.Kind NODE = OfficialImageStandInsIT.KINDS.stream()
            .filter(k -> k.fixture().equals("node-web-framework")).findFirst().orElseThrow();
    static final String BOX = "claude-devc-it/review-writable-node:cache";
    /** Writable files outside the user's places; symbolic links (to /dev/null, /run/lock) are not files. */
    static final String WRITABLE = "find / -xdev \\( -path /proc -o -path /sys -o -path /dev -o -path /tmp"
            + " -o -path /var/tmp -o -path /run -o -path \"$HOME\" -o -path /commandhistory -o -path /workspace \\)"
            + " -prune -o ! -type l -writable -print 2>/dev/null | sort";

    @TempDir
    static Path work;

    static Path repo;
    static GenericContainer<?> standIn;
    static GenericContainer<?> box;

    @BeforeAll
    static void build() throws Exception {
        DockerRequired.check();
        repo = Files.createDirectories(work.resolve(NODE.fixture()));
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/toolchains", NODE.fixture()))) {
            for (Path f : files.toList()) {
                Files.copy(f, repo.resolve(f.getFileName()));
            }
        }
        String[] init = cli("init", "-C", repo.toString(), "--claude-install", "none", "--name", "review-writable");
        assertEquals("0", init[0], init[1]);
        CachedImages.rebuild(NODE.standInTag(), () -> new ImageFromDockerfile(NODE.standInTag(), false)
                .withFileFromString("Dockerfile", NODE.dockerfile()).get());
        CachedImages.rebuild(BOX, () -> {
            String[] build = cli("build", "-C", repo.toString(), "-q", "--base-image", NODE.standInTag(), "-t", BOX);
            assertEquals("0", build[0], build[1]);
        });
        standIn = sleeping(NODE.standInTag());
        box = sleeping(BOX);
    }

    @AfterAll
    static void stop() {
        Stream.of(standIn, box).filter(c -> c != null).forEach(GenericContainer::stop);
    }

    @Test
    void theAgentWritesNothingOutsideItsOwnPlacesAndNotNpmsGlobalConfig() throws Exception {
        String globalconfig = run(standIn, "root", "npm config get globalconfig").strip();
        assertEquals(0, as(standIn, NODE.user(), "test -w " + globalconfig).getExitCode(),
                "on the stand-in the agent can write npm's global config " + globalconfig);
        assertEquals(globalconfig, run(box, "root", "npm config get globalconfig").strip());
        assertEquals("", run(box, NODE.user(), WRITABLE), "writable by " + NODE.user() + " in the box");
        assertEquals("root 644\n", run(box, "root", "stat -c '%U %a' " + globalconfig));
    }

    /**
     * Docker lets any user bind ports below 1024: the agent bound 127.0.0.1:53 beside the firewall's resolver
     * (dnsmasq's sockets are SO_REUSEADDR) and swallowed 4 of 5 of root's lookups on a running enforce box (check
     * --container's, the firewall's self-test). The generated runArgs' sysctl keeps the port root's; without it,
     * on the stand-in, the same bind succeeds.
     */
    @Test
    void theGeneratedRunArgsKeepTheResolversPortRoots() throws Exception {
        // devcontainer.json has comments: its runArgs' sysctls by their quoted form.
        java.util.Map<String, String> sysctls = new java.util.TreeMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"--sysctl=([a-z0-9_.]+)=([^\"]*)\"")
                .matcher(Files.readString(repo.resolve(".devcontainer/devcontainer.json")));
        while (m.find()) {
            sysctls.put(m.group(1), m.group(2));
        }
        String bind = "timeout 2 socat UDP4-RECVFROM:53,bind=127.0.0.1,reuseaddr - ; echo \"exit $?\"";
        assertEquals("exit 124\n", run(standIn, NODE.user(), bind), "Docker's default: the user may bind port 53");
        try (GenericContainer<?> withRunArgs = sleeping(BOX, sysctls)) {
            assertEquals("1024\n", run(withRunArgs, "root", "cat /proc/sys/net/ipv4/ip_unprivileged_port_start"));
            assertEquals("exit 1\n", run(withRunArgs, NODE.user(), bind.replace("- ;", "- 2>/dev/null;")));
        }
    }

    private static GenericContainer<?> sleeping(String image) {
        return sleeping(image, java.util.Map.of());
    }

    private static GenericContainer<?> sleeping(String image, java.util.Map<String, String> sysctls) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withEntrypoint("sleep").withCmd("infinity");
                    if (!sysctls.isEmpty()) {
                        cmd.getHostConfig().withSysctls(sysctls);
                    }
                })
                .withNetworkMode("none");
        c.start();
        return c;
    }

    private static String[] cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8)
                + err.toString(StandardCharsets.UTF_8)};
    }

    private static Container.ExecResult as(GenericContainer<?> c, String user, String script) throws Exception {
        return c.execInContainer(ExecConfig.builder().user(user).command(new String[] {"bash", "-c", script}).build());
    }

    private static String run(GenericContainer<?> c, String user, String script) throws Exception {
        Container.ExecResult r = as(c, user, script);
        assertEquals(0, r.getExitCode(), script + "\n" + r.getStdout() + r.getStderr());
        return r.getStdout();
    }
}
