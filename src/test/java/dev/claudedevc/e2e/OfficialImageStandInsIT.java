package dev.claudedevc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.github.dockerjava.api.DockerClient;
import dev.claudedevc.cli.Main;
import dev.claudedevc.model.ImageLayout;
import dev.claudedevc.model.ToolchainVersion;
import dev.claudedevc.testing.CachedImages;
import dev.claudedevc.testing.DockerRequired;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.ExecConfig;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * {@code init} in fixtures shaped like the six kinds of repository (src/test/resources/toolchains: a Node web
 * framework, a Python HTTP library, a Spring Boot sample with Maven, a Go CLI library, a Rust CLI, a Gradle-built
 * Java library) gives a dev container that builds with no hand edit on a locally made <b>stand-in</b> of the
 * official Dev Container image {@code init} chose (no registry is reachable here), and in it the agent's user runs
 * the toolchain and git, and sudo allows the firewall's exact entries only.
 *
 * <p>What a stand-in is, plainly: {@code local/debian:bookworm} with the layout the official image has, as
 * devcontainers/images builds it (src/&lt;image&gt;/.devcontainer/): its non-root user (uid 1000: {@code node} on
 * the Node image, {@code vscode} on the others) with {@code USER ALL=(root) NOPASSWD:ALL} in /etc/sudoers.d; a
 * {@code devcontainer.metadata} label adding SYS_PTRACE and seccomp=unconfined (as the Go image's does); the
 * toolchain folder the official image makes writable for the user's group (npm-global, py-utils, SDKMAN, GOPATH,
 * CARGO_HOME) first on PATH, with a planted {@code git} in it. The toolchain itself comes from Debian packages
 * (bookworm's, but trixie's for JDK 21), so its version is Debian's, not the official image's:
 * <ul>
 * <li>Node: Debian's 18.19 (in /usr/bin; the official image's is in /usr/local/bin) stands in for
 *     javascript-node:20 (the project asks for &gt;= 18: met); no nvm;</li>
 * <li>Python: 3.11 for python:3.10 (asks for &gt;= 3.9: met); it lives in /usr/bin, the official one in
 *     /usr/local/bin;</li>
 * <li>Java: OpenJDK 17 (linked as /usr/lib/jvm/msopenjdk-current and SDKMAN's candidates/java/current) for
 *     java:17 (Spring Boot asks for 17: met); for java:21 (the Gradle toolchain asks for 21: met) OpenJDK 21,
 *     linked the same way, in a stand-in made on {@code local/debian:trixie}: JDK 21 is packaged for trixie only
 *     (not bookworm, not bookworm-backports; the official java:21-bookworm carries Microsoft's build, from a
 *     registry not reachable here, and trixie's needs trixie's glibc). The box's Dockerfile is the same either way;
 *     what it adds installs on trixie as on bookworm;</li>
 * <li>Go: bookworm-backports' 1.23 (golang-1.23-go, linked as /usr/local/go) for go:1.25 (asks for 1.23: met);</li>
 * <li>Rust: bookworm's rustc-web/cargo-web 1.85 linked into /usr/local/cargo/bin for rust:1 (asks for 1.80:
 *     met). The stand-in has no rustup (not packaged for bookworm), so the Dockerfile's build-time
 *     {@code rustup toolchain install} is skipped here, not proven: it downloads from static.rust-lang.org, which
 *     no build here reaches.</li>
 * </ul>
 * Every stand-in starts with the same layer (the box's own system packages, so each generated image's apt step
 * only refreshes the lists), then one layer per toolchain. The stand-ins and the
 * generated images are kept between runs under fixed tags, as a build cache like the base image: a run after a
 * change rebuilds what the change touches (on a fresh machine, everything). Each claim about the box is first shown
 * false on the stand-in. The containers only sleep, without a network; the checks are version-style commands and
 * builds that need no network.
 */
class OfficialImageStandInsIT {

    static final String BASE_IMAGE = System.getenv().getOrDefault("CLAUDE_DEVC_BASE_IMAGE", "local/debian:bookworm");
    /** Debian trixie, made by .ci/provision like the base image: the only Debian release that packages JDK 21. */
    static final String TRIXIE_IMAGE = System.getenv().getOrDefault("CLAUDE_DEVC_TRIXIE_IMAGE", "local/debian:trixie");
    static final String PLANTED = "planted-git";
    /** The metadata an official image carries that the box must not inherit (the Go image's run arguments). */
    static final String LABEL = "[{\\\"id\\\":\\\"ghcr.io/devcontainers/features/common-utils:2\\\"},"
            + "{\\\"capAdd\\\":[\\\"SYS_PTRACE\\\"],\\\"securityOpt\\\":[\\\"seccomp=unconfined\\\"],"
            + "\\\"remoteUser\\\":\\\"%s\\\"}]";

    /**
     * One kind of repository and the stand-in of the official image init picks for it.
     *
     * @param fixture    the folder under src/test/resources/toolchains
     * @param detected   what init reports: "ecosystem version"
     * @param official   the official image init writes into the Dockerfile
     * @param user       that image's non-root user
     * @param packages   the Debian packages standing in for its toolchain
     * @param layout     shell lines giving the official layout (after the user exists; GROUP is its group)
     * @param toolDir    the folder the official image makes writable for the user's group
     * @param binDir     its folder first on PATH
     * @param env        the image's ENV lines (PATH last)
     * @param version    as the agent: prints the toolchain's version
     * @param versionAt  the version in that output
     * @param meets      whether the stand-in's toolchain meets the detected version (said in the class comment)
     * @param work       as the agent: real work with the toolchain that needs no network (empty: none)
     */
    record Kind(String fixture, String detected, String official, String user, String packages, String layout,
            String toolDir, String binDir, String env, String version, Pattern versionAt, boolean meets,
            String work) {

        /** The Debian image the stand-in is made on: trixie for JDK 21, bookworm for the others. */
        String standInBase() {
            return packages.contains("openjdk-21") ? TRIXIE_IMAGE : BASE_IMAGE;
        }

        String group() {
            return toolDir.replaceAll(".*/", "").replaceAll("[^a-z]", "") + "grp";
        }

        String standInTag() {
            return "claude-devc-it/standin-" + official.replaceAll(".*/", "").replace(':', '-');
        }

        String dockerfile() {
            String backports = packages.contains("bpo:") ? "uri=$(awk '$1 == \"deb\" {print $2; exit}' "
                    + "/etc/apt/sources.list) && echo \"deb $uri bookworm-backports main\" "
                    + "> /etc/apt/sources.list.d/backports.list && " : "";
            return "FROM " + standInBase() + "\n"
                    + "RUN apt-get update && apt-get install -y --no-install-recommends bind9-dnsutils bubblewrap \\\n"
                    + "      ca-certificates curl dnsmasq-base git iproute2 ipset iptables procps socat sudo \\\n"
                    + " && rm -rf /var/lib/apt/lists/*\n"
                    + "RUN " + backports + "apt-get update && apt-get install -y --no-install-recommends "
                    + packages.replace("bpo:", "") + " \\\n"
                    + " && rm -rf /var/lib/apt/lists/* /etc/apt/sources.list.d/backports.list\n"
                    + "RUN groupadd --gid 1000 " + user + " && useradd --uid 1000 --gid 1000 --create-home"
                    + " --shell /bin/bash " + user + " \\\n"
                    + " && echo '" + user + " ALL=(root) NOPASSWD:ALL' > /etc/sudoers.d/" + user
                    + " && chmod 0440 /etc/sudoers.d/" + user + " \\\n"
                    + " && groupadd " + group() + " && usermod -aG " + group() + " " + user + " \\\n"
                    + " && mkdir -p " + toolDir + " " + binDir + " \\\n"
                    + layout.replace("GROUP", group()).lines().map(l -> " && " + l + " \\\n")
                            .reduce("", String::concat)
                    + " && printf '#!/bin/sh\\necho " + PLANTED + "\\n' > " + binDir + "/git && chmod 0755 "
                    + binDir + "/git \\\n"
                    + " && chown -R " + user + ":" + group() + " " + toolDir + " && chmod -R g+ws " + toolDir + "\n"
                    + env + "\n"
                    + "LABEL devcontainer.metadata=\"" + LABEL.formatted(user) + "\"\n"
                    + "USER " + user + "\n";
        }

        @Override
        public String toString() {
            return fixture;
        }
    }

    static final String JAVA_LAYOUT = """
            jdk=$(dirname "$(dirname "$(readlink -f /usr/bin/javac)")")
            ln -s "$jdk" /usr/lib/jvm/msopenjdk-current
            mkdir -p /usr/local/sdkman/candidates/java
            ln -s /usr/lib/jvm/msopenjdk-current /usr/local/sdkman/candidates/java/current""";
    static final String JAVA_ENV = "ENV JAVA_HOME=/usr/lib/jvm/msopenjdk-current SDKMAN_DIR=/usr/local/sdkman\n"
            + "ENV PATH=/usr/local/sdkman/bin:/usr/local/sdkman/candidates/java/current/bin:$PATH";
    static final String JAVA_WORK = "mkdir -p /tmp/j && cd /tmp/j && printf 'class Hello { public static void main("
            + "String[] a) { System.out.println(\"hello\"); } }' > Hello.java && javac Hello.java && java Hello";

    /** The same, compiled for Java 21 (a record pattern in a switch: a Java 21 language feature). */
    static final String JAVA_WORK_21 = "mkdir -p /tmp/j && cd /tmp/j && printf 'record P(int x) {} class Hello { public"
            + " static void main(String[] a) { Object o = new P(1); System.out.println(switch (o) { case P(int x) ->"
            + " \"hello \" + x; default -> \"?\"; }); } }' > Hello.java && javac --release 21 Hello.java && java Hello";

    static final List<Kind> KINDS = List.of(
            new Kind("node-web-framework", "node 18", "mcr.microsoft.com/devcontainers/javascript-node:20-bookworm",
                    "node", "nodejs npm", "npm config --global set prefix /usr/local/share/npm-global",
                    "/usr/local/share/npm-global", "/usr/local/share/npm-global/bin",
                    "ENV PATH=/usr/local/share/npm-global/bin:$PATH", "node --version",
                    Pattern.compile("v([0-9]+\\.[0-9]+)"), true,
                    // npm install -g as the user, from a local package (no registry): lands in the user's prefix
                    "mkdir -p /tmp/p && cd /tmp/p && printf '{\"name\":\"cdv-hello\",\"version\":\"1.0.0\","
                            + "\"bin\":{\"cdv-hello\":\"hello.js\"}}' > package.json && printf '#!/usr/bin/env node"
                            + "\\nconsole.log(\"hello\")\\n' > hello.js && npm pack --silent >/dev/null"
                            + " && npm install -g --offline --no-audit --no-fund ./cdv-hello-1.0.0.tgz >/dev/null"
                            + " && ~/.npm-global/bin/cdv-hello"),
            new Kind("python-http-library", "python 3.9", "mcr.microsoft.com/devcontainers/python:3.10-bookworm",
                    "vscode", "python3 python3-venv python3-pip", "true", "/usr/local/py-utils",
                    "/usr/local/py-utils/bin",
                    "ENV PIPX_HOME=/usr/local/py-utils PIPX_BIN_DIR=/usr/local/py-utils/bin\n"
                            + "ENV PATH=/usr/local/py-utils/bin:$PATH",
                    "python3 -m venv /tmp/venv && /tmp/venv/bin/python --version",
                    Pattern.compile("Python ([0-9]+\\.[0-9]+)"), true,
                    "/tmp/venv/bin/python -m pip --version && /tmp/venv/bin/python -c 'print(\"hello\")'"
                            + " && echo \"PIPX_HOME=$PIPX_HOME PIPX_BIN_DIR=$PIPX_BIN_DIR\""),
            new Kind("spring-boot-maven", "java 17", "mcr.microsoft.com/devcontainers/java:17-bookworm", "vscode",
                    "openjdk-17-jdk-headless", JAVA_LAYOUT, "/usr/local/sdkman", "/usr/local/sdkman/bin", JAVA_ENV,
                    "javac -version", Pattern.compile("javac ([0-9]+)"), true, JAVA_WORK),
            new Kind("go-cli-library", "go 1.23", "mcr.microsoft.com/devcontainers/go:1.25-bookworm", "vscode",
                    "bpo:golang-1.23-go", "ln -s /usr/lib/go-1.23 /usr/local/go\nmkdir -p /go/src /go/pkg", "/go",
                    "/go/bin", "ENV GOPATH=/go\nENV PATH=/go/bin:/usr/local/go/bin:$PATH", "go version",
                    Pattern.compile("go([0-9]+\\.[0-9]+)"), true,
                    "mkdir -p /tmp/g && cd /tmp/g && go mod init example.test/hello >/dev/null 2>&1 && printf "
                            + "'package main\\nimport \"fmt\"\\nfunc main() { fmt.Println(\"hello\") }\\n' > main.go"
                            + " && go build -o hello . && ./hello && go env GOPATH GOMODCACHE"),
            new Kind("rust-cli", "rust 1.80", "mcr.microsoft.com/devcontainers/rust:1-bookworm", "vscode",
                    "rustc-web cargo-web",
                    "mkdir -p /usr/local/rustup\nln -s /usr/bin/cargo /usr/local/cargo/bin/cargo\n"
                            + "ln -s /usr/bin/rustc /usr/local/cargo/bin/rustc",
                    "/usr/local/cargo", "/usr/local/cargo/bin",
                    "ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo\n"
                            + "ENV PATH=/usr/local/cargo/bin:$PATH",
                    "cargo --version && rustc --version", Pattern.compile("rustc ([0-9]+\\.[0-9]+)"), true,
                    "cd /tmp && cargo new --vcs none --quiet hello && cd hello && cargo build --offline --quiet"
                            + " && ./target/debug/hello && echo \"CARGO_HOME=$CARGO_HOME\""),
            new Kind("gradle-java-library", "java 21", "mcr.microsoft.com/devcontainers/java:21-bookworm", "vscode",
                    "openjdk-21-jdk-headless", JAVA_LAYOUT, "/usr/local/sdkman", "/usr/local/sdkman/bin", JAVA_ENV,
                    "javac -version", Pattern.compile("javac ([0-9]+)"), true, JAVA_WORK_21));

    @TempDir
    static Path work;

    static final List<GenericContainer<?>> STARTED = new ArrayList<>();

    /** What one kind built: the stand-in and the box, running. */
    static final class Built {
        Path repo;
        String initErr;
        GenericContainer<?> standIn;
        GenericContainer<?> box;
        String boxTag;
    }

    @TestFactory
    Stream<DynamicNode> eachKindOfRepository() {
        DockerRequired.check();
        return KINDS.stream().map(kind -> {
            Built b = new Built();
            return dynamicContainer(kind.fixture(), Stream.of(
                    dynamicTest("init chooses the official image and the build needs no hand edit",
                            () -> initAndBuild(kind, b)),
                    dynamicTest("the agent's user runs the toolchain at the version asked, and git",
                            () -> toolchainAndGit(kind, b)),
                    dynamicTest("sudo allows the firewall's exact entries and nothing else", () -> sudo(kind, b)),
                    dynamicTest("the devcontainer.metadata label is reset", () -> label(kind, b)),
                    dynamicTest("the toolchain folder is root-owned and root finds the system's git first",
                            () -> toolchainFolder(kind, b)),
                    dynamicTest("inspect flags the stand-in's label and writable PATH, neither in the box",
                            () -> inspect(b))));
        });
    }

    private static void initAndBuild(Kind kind, Built b) throws Exception {
        b.repo = Files.createDirectories(work.resolve(kind.fixture()));
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/toolchains", kind.fixture()))) {
            for (Path f : files.toList()) {
                Files.copy(f, b.repo.resolve(f.getFileName()));
            }
        }
        String[] init = cli("init", "-C", b.repo.toString(), "--claude-install", "none", "--name",
                "standin-" + kind.fixture());
        assertEquals("0", init[0], init[1]);
        b.initErr = init[1];
        assertTrue(b.initErr.contains("toolchain: " + kind.detected() + " ("), b.initErr);
        assertTrue(b.initErr.contains("base image: " + kind.official() + ", user " + kind.user()), b.initErr);
        assertTrue(Files.readString(b.repo.resolve(".devcontainer/Dockerfile"))
                .contains("ARG CLAUDE_DEVC_BASE_IMAGE=" + kind.official() + "\n"));

        CachedImages.rebuild(kind.standInTag(), () -> new ImageFromDockerfile(kind.standInTag(), false)
                .withFileFromString("Dockerfile", kind.dockerfile()).get());
        b.boxTag = "claude-devc-it/standin-box-" + kind.fixture() + ":cache";
        CachedImages.rebuild(b.boxTag, () -> {
            String[] build = cli("build", "-C", b.repo.toString(), "-q", "--base-image", kind.standInTag(), "-t",
                    b.boxTag);
            assertEquals("0", build[0], build[1]);
        });
        b.standIn = sleeping(kind.standInTag());
        b.box = sleeping(b.boxTag);
    }

    private static void toolchainAndGit(Kind kind, Built b) throws Exception {
        assertNotNull(b.box, "built");
        assertEquals(kind.user() + " 1000", ok(b.box, kind.user(), "echo \"$(id -un) $(id -u)\"").strip());
        String out = ok(b.box, kind.user(), kind.version());
        Matcher m = kind.versionAt().matcher(out);
        assertTrue(m.find(), out);
        ToolchainVersion have = ToolchainVersion.parse(m.group(1));
        ToolchainVersion asked = ToolchainVersion.parse(kind.detected().split(" ")[1]);
        assertEquals(kind.meets(), have.meets(asked), "the stand-in's " + have + " against the asked " + asked
                + " (see the class comment)");
        if (!kind.work().isEmpty()) {
            String worked = ok(b.box, kind.user(), kind.work());
            assertTrue(worked.toLowerCase(java.util.Locale.ROOT).contains("hello"), worked);
            if (kind.fixture().startsWith("rust")) {
                assertTrue(worked.contains("CARGO_HOME=/home/vscode/.cargo"), "cargo's state in the home: " + worked);
            }
            if (kind.fixture().startsWith("python")) {
                assertTrue(worked.contains("PIPX_HOME=/home/vscode/.local/share/pipx PIPX_BIN_DIR=/home/vscode/.local/bin"),
                        "pipx installs as the user, not into the root-owned /usr/local/py-utils: " + worked);
            }
            if (kind.fixture().startsWith("go")) {
                assertTrue(worked.contains("/home/vscode/go"), "Go's module cache in the home: " + worked);
            }
        }
        if (kind.fixture().startsWith("node")) {
            // Why the prefix moved: the image's global prefix is root-owned in the box.
            assertNotEquals(0, as(b.box, "node", "cd /tmp/p && NPM_CONFIG_PREFIX=/usr/local/share/npm-global "
                    + "npm install -g --offline --no-audit --no-fund ./cdv-hello-1.0.0.tgz").getExitCode());
            assertEquals(0, as(b.standIn, "node", "test -w /usr/local/share/npm-global").getExitCode());
        }
        assertTrue(ok(b.box, kind.user(), "git --version").startsWith("git version 2."));
    }

    private static void sudo(Kind kind, Built b) throws Exception {
        assertNotNull(b.box, "built");
        assertEquals(0, as(b.standIn, kind.user(), "sudo -n true").getExitCode(), "the stand-in grants everything");
        String listed = ok(b.box, kind.user(), "sudo -n -l");
        List<String> entries = listed.lines().filter(l -> l.startsWith("    (")).map(String::strip).toList();
        assertEquals(ImageLayout.SUDO_COMMANDS.stream().map(c -> "(root) NOPASSWD: " + c).toList(), entries, listed);
        assertNotEquals(0, as(b.box, kind.user(), "sudo -n true").getExitCode());
        assertNotEquals(0, as(b.box, "root", "test -e /etc/sudoers.d/" + kind.user()).getExitCode());
    }

    private static void label(Kind kind, Built b) {
        assertNotNull(b.box, "built");
        DockerClient docker = DockerClientFactory.instance().client();
        String inherited = docker.inspectImageCmd(kind.standInTag()).exec().getConfig().getLabels()
                .get("devcontainer.metadata");
        assertTrue(inherited.contains("SYS_PTRACE") && inherited.contains("seccomp=unconfined"), inherited);
        assertEquals("[]", docker.inspectImageCmd(b.boxTag).exec().getConfig().getLabels()
                .get("devcontainer.metadata"));
    }

    private static void toolchainFolder(Kind kind, Built b) throws Exception {
        assertNotNull(b.box, "built");
        String user = kind.user();
        assertEquals(0, as(b.standIn, user, "test -w " + kind.binDir()).getExitCode(), "writable on the stand-in");
        assertEquals(PLANTED, ok(b.standIn, "root", "git").strip(), "the stand-in's root runs the planted git");

        assertNotEquals(0, as(b.box, user, "test -w " + kind.binDir()).getExitCode());
        assertNotEquals(0, as(b.box, user, "touch " + kind.toolDir() + "/x").getExitCode());
        assertEquals("root:root", ok(b.box, "root", "stat -L -c %U:%G " + kind.binDir()).strip());
        assertEquals("", ok(b.box, "root", "find " + kind.toolDir() + " -perm /022 ! -type l").strip(),
                "nothing in it is group- or world-writable");
        String git = ok(b.box, "root", "command -v git").strip();
        assertTrue(git.equals("/usr/bin/git") || git.equals("/usr/local/bin/git"), "a system folder's git: " + git);
        assertTrue(ok(b.box, "root", "git --version").startsWith("git version 2."), "not the planted one");
        String path = ok(b.box, "root", "printf %s \"$PATH\"");
        assertTrue(path.startsWith("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:"), path);
        assertTrue(!path.contains("/home/"), "nothing the agent can write on root's PATH: " + path);
    }

    private static void inspect(Built b) {
        assertNotNull(b.box, "built");
        String standInReport = cli("inspect", "-C", b.repo.toString(), "--container", b.standIn.getContainerId(),
                "--json")[1];
        assertTrue(standInReport.contains("capAdd SYS_PTRACE") && standInReport.contains("seccomp=unconfined"),
                standInReport);
        assertTrue(standInReport.contains("root-path"), standInReport);
        String boxReport = cli("inspect", "-C", b.repo.toString(), "--container", b.box.getContainerId(),
                "--json")[1];
        assertTrue(!boxReport.contains("merged-config") && !boxReport.contains("root-path"), boxReport);
    }

    private static GenericContainer<?> sleeping(String image) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("sleep").withCmd("infinity"))
                .withNetworkMode("none");
        c.start();
        STARTED.add(c);
        return c;
    }

    /** The images stay as a build cache (fixed tags; a rebuild that moves a tag removes the image it left). */
    @AfterAll
    static void stop() {
        STARTED.forEach(GenericContainer::stop);
    }

    private static String[] cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)};
    }

    private static Container.ExecResult as(GenericContainer<?> c, String user, String script) throws IOException,
            InterruptedException {
        return c.execInContainer(ExecConfig.builder().user(user).command(new String[] {"bash", "-c", script}).build());
    }

    private static String ok(GenericContainer<?> c, String user, String script) throws Exception {
        Container.ExecResult r = as(c, user, script);
        assertEquals(0, r.getExitCode(), script + "\n" + r.getStdout() + r.getStderr());
        return r.getStdout() + r.getStderr();
    }
}
