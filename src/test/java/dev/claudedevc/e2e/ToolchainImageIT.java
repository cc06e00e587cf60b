package dev.claudedevc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.cli.Main;
import dev.claudedevc.testing.CachedImages;
import dev.claudedevc.testing.DockerRequired;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.ExecConfig;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Debian-package path ({@code init --toolchain-source debian}, {@code toolchains: source: debian}): a
 * repository with five ecosystems whose stated versions Debian packages gets an image on plain Debian where the
 * agent's user runs Node.js, Python with venv, a JDK with Maven, Go (1.23 from bookworm-backports, as the module
 * asks for 1.22 and bookworm's own is 1.19) and Rust (bookworm's rustc-web 1.85) from Debian packages, and git. (The official
 * image path, per kind of repository, is {@link OfficialImageStandInsIT}; the version-conflict message is
 * InitToolchainsTest's.) The image keeps a fixed tag as a build cache: its apt layer is the slow part, and a
 * rebuild of the same Dockerfile on this engine reuses it. The container only sleeps: no network use.
 */
class ToolchainImageIT {

    static final String BASE_IMAGE = System.getenv().getOrDefault("CLAUDE_DEVC_BASE_IMAGE", "local/debian:bookworm");
    static final String TAG = "claude-devc-it/toolchains-debian:cache";

    @TempDir
    static Path work;

    static GenericContainer<?> box;
    static String initErr;

    @BeforeAll
    static void initAndBuild() throws Exception {
        DockerRequired.check();
        Path repo = Files.createDirectories(work.resolve("repo"));
        Files.writeString(repo.resolve("package.json"), "{\"engines\": {\"node\": \">=18\"}}\n");
        Files.writeString(repo.resolve("pom.xml"), "<project><properties><maven.compiler.release>17"
                + "</maven.compiler.release></properties></project>\n");
        Files.writeString(repo.resolve("pyproject.toml"), "[project]\nrequires-python = \">=3.10\"\n");
        Files.writeString(repo.resolve("go.mod"), "module example.test/x\n\ngo 1.22\n");
        Files.writeString(repo.resolve("Cargo.toml"), "[package]\nname = \"x\"\nrust-version = \"1.80\"\n");
        String[] init = cli("init", "-C", repo.toString(), "--claude-install", "none", "--toolchain-source", "debian",
                "--name", "toolchains-debian");
        assertEquals("0", init[0], init[1]);
        initErr = init[1];
        CachedImages.rebuild(TAG, () -> {
            String[] build = cli("build", "-C", repo.toString(), "-q", "--base-image", BASE_IMAGE, "-t", TAG);
            assertEquals("0", build[0], build[1]);
        });
        box = new GenericContainer<>(DockerImageName.parse(TAG))
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("sleep").withCmd("infinity"))
                .withNetworkMode("none");
        box.start();
    }

    @AfterAll
    static void stop() {
        if (box != null) {
            box.stop();
        }
    }

    private static String[] cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)};
    }

    private static String ok(String user, String script) throws Exception {
        Container.ExecResult r = box.execInContainer(ExecConfig.builder().user(user)
                .command(new String[] {"bash", "-c", script}).build());
        assertEquals(0, r.getExitCode(), script + "\n" + r.getStdout() + r.getStderr());
        return r.getStdout() + r.getStderr();
    }

    @Test
    void initChosePlainDebianAndItsDefaultUser() {
        assertTrue(initErr.contains("base image: debian:bookworm, user dev"), initErr);
    }

    @Test
    void theAgentsUserRunsEveryToolchainFromDebianPackagesAndGit() throws Exception {
        assertTrue(ok("dev", "node --version").startsWith("v18."), "Node.js 18 from Debian");
        assertTrue(ok("dev", "command -v node").strip().startsWith("/usr/bin/"));
        String python = ok("dev", "python3 -m venv /tmp/venv && /tmp/venv/bin/python --version");
        assertTrue(python.startsWith("Python 3.11"), python);
        assertTrue(ok("dev", "javac -version").contains("javac 17"));
        assertTrue(ok("dev", "mvn --version").contains("Apache Maven 3"));
        // go 1.22 is newer than bookworm's 1.19: bookworm-backports' 1.23, linked onto PATH, builds the module
        String go = ok("dev", "go version && command -v go && mkdir -p /tmp/g && cd /tmp/g && printf 'module "
                + "example.test/g\\n\\ngo 1.22\\n' > go.mod && printf 'package main\\nimport \"fmt\"\\nfunc main() "
                + "{ fmt.Println(\"hello\") }\\n' > main.go && GOTOOLCHAIN=local go build -o hello . && ./hello");
        assertTrue(go.contains("go1.23") && go.contains("/usr/local/bin/go\n") && go.contains("hello"), go);
        assertEquals("", ok("root", "ls /etc/apt/sources.list.d/ | grep backports || true").strip(),
                "the backports source was for that step only");
        String rust = ok("dev", "cargo --version && rustc --version");
        assertTrue(rust.contains("cargo 1.85") && rust.contains("rustc 1.85"), "bookworm's rustc-web meets 1.80: " + rust);
        assertTrue(ok("dev", "git --version").startsWith("git version 2."));
        assertEquals("dev:dev dev:dev dev:dev", ok("root",
                "stat -c %U:%G /home/dev/.npm /home/dev/.m2 /home/dev/go").replace('\n', ' ').strip(),
                "caches belong to the user (per-project volumes mount there)");
    }
}
