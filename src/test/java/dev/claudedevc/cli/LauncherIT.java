package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.TestPaths;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as a user runs it from elsewhere: through a symlink on PATH, and installed with
 * {@code ./claude-devc install --prefix DIR} (after {@code package}, so the jar is fresh and nothing is rebuilt).
 */
class LauncherIT {

    @TempDir
    Path work;

    private record Run(int code, String out) {
    }

    private Run run(Path dir, String... command) throws Exception {
        Path log = Files.createTempFile(work, "out", ".txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "finished");
        return new Run(p.exitValue(), Files.readString(log));
    }

    @Test
    void aSymlinkOnPathRunsTheCheckoutsLauncherFromAnyFolder() throws Exception {
        Path bin = Files.createDirectories(work.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("claude-devc"), TestPaths.projectRoot().resolve("claude-devc"));
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
        Run run = run(elsewhere, bin.resolve("claude-devc").toString(), "--version");
        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().startsWith("claude-devc "), run.out());
    }

    @Test
    void installPutsARunnableCommandUnderThePrefix() throws Exception {
        Path prefix = work.resolve("prefix");
        Run install = run(work, TestPaths.projectRoot().resolve("claude-devc").toString(), "install", "--prefix",
                prefix.toString());
        assertEquals(0, install.code(), install.out());
        Path installed = prefix.resolve("bin/claude-devc");
        assertTrue(Files.isExecutable(installed), install.out());
        assertTrue(Files.isRegularFile(prefix.resolve("lib/claude-devc/claude-devc-all.jar")), install.out());

        Path repo = Files.createDirectories(work.resolve("repo"));
        Files.writeString(repo.resolve("package.json"), "{}");
        Run init = run(repo, installed.toString(), "init", "--claude-install", "none");
        assertEquals(0, init.code(), init.out());
        assertTrue(Files.isRegularFile(repo.resolve(".devcontainer/devcontainer.json")), init.out());
        assertTrue(Files.readString(repo.resolve("claude-devc.yaml")).contains("npm"), init.out());
    }

    @Test
    void installRefusesAPrefixThatIsNotAPlainPath() throws Exception {
        for (String prefix : List.of("/tmp/a b", "/tmp/$(id)", "/tmp/x\"y")) {
            Run run = run(work, TestPaths.projectRoot().resolve("claude-devc").toString(), "install", "--prefix",
                    prefix);
            assertEquals(2, run.code(), prefix + ": " + run.out());
            assertTrue(run.out().contains("--prefix: use a plain path"), run.out());
        }
    }
}
