package dev.claudedevc.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.claudedevc.TestPaths;
import dev.claudedevc.descriptor.DescriptorReader;
import dev.claudedevc.policy.TestPolicies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated host step (devcontainer.json's initializeCommand), run for real with bash and git on this machine:
 * it prepares the mount sources for a repository, a worktree and a folder without git, and refuses to start on a
 * workspace whose git files were tampered with.
 */
class HostStepTest {

    @TempDir
    Path ws;

    record Run(int exitCode, String output) {
    }

    private static Run run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + List.of(command));
        }
        return new Run(p.exitValue(), output);
    }

    @BeforeEach
    void render() throws IOException {
        Files.writeString(ws.resolve("claude-devc.yaml"), "name: demo\n");
        GeneratedTree tree = new Generator(dev.claudedevc.assets.Assets.withOverrides(Optional.empty()))
                .generate(DescriptorReader.load(ws, Optional.empty()), TestPolicies.ofProject(ws));
        TreeWriter.write(ws.resolve(".devcontainer"), new ArrayList<>(tree.files()), false, java.util.Map.of());
    }

    private Run hostStep() throws IOException, InterruptedException {
        return run(ws, "bash", ws.resolve(".devcontainer/claude-devc-host.sh").toString(), ws.toString());
    }

    private void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@t"));
        command.addAll(List.of(args));
        Run r = run(dir, command.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.output());
    }

    private void repo() throws IOException, InterruptedException {
        git(ws, "init", "-q");
        git(ws, "add", "-A");
        git(ws, "commit", "-qm", "init");
    }

    @Test
    void isShellcheckClean() throws Exception {
        try {
            run(ws, "shellcheck", "--version");
        } catch (IOException missing) {
            if ("true".equals(System.getenv("CI"))) {
                fail("shellcheck is not installed (run .ci/provision) and CI=true");
            }
            Assumptions.abort("shellcheck is not installed");
        }
        for (Path script : List.of(ws.resolve(".devcontainer/claude-devc-host.sh"),
                TestPaths.projectRoot().resolve("firewall/claude-devc-git.sh"),
                TestPaths.projectRoot().resolve("firewall/claude-devc-attach.sh"))) {
            Run check = run(ws, "shellcheck", "--severity=style", "--shell=bash", script.toString());
            assertEquals(0, check.exitCode(), script + "\n" + check.output());
        }
        Path probe = TestPaths.projectRoot().resolve("src/main/resources/claude-devc/inspect-probe.sh");
        Run check = run(ws, "shellcheck", "--severity=style", "--shell=sh", probe.toString());
        assertEquals(0, check.exitCode(), check.output());
    }

    @Test
    void inARepositoryItLinksTheGitViewAndCreatesMissingSources() throws Exception {
        repo();
        Run r = hostStep();
        assertEquals(0, r.exitCode(), r.output());
        Path view = ws.resolve(".devcontainer/.claude-devc-run/git");
        assertTrue(Files.isSymbolicLink(view), "the view's source is a link to .git");
        assertEquals(ws.resolve(".git").toRealPath(), view.toRealPath());
        for (String p : List.of(".git/hooks", ".git/modules", ".vscode", ".claude")) {
            assertTrue(Files.isDirectory(ws.resolve(p)), p);
        }
        for (String p : List.of(".git/config", ".git/config.worktree", ".git/info/attributes")) {
            assertTrue(Files.isRegularFile(ws.resolve(p)), p);
        }
        Run status = run(ws, "git", "status", "--porcelain");
        assertEquals("", status.output(), "the host's git sees no new file (the run folder is ignored)");
        assertEquals(0, hostStep().exitCode(), "a second start is fine");
    }

    @Test
    void aWorktreeAndAFolderWithoutGitGetAnEmptyView() throws Exception {
        Run none = hostStep();
        assertEquals(0, none.exitCode(), none.output());
        Path view = ws.resolve(".devcontainer/.claude-devc-run/git");
        assertTrue(Files.isDirectory(view) && !Files.isSymbolicLink(view));
        assertTrue(Files.isRegularFile(view.resolve("config")) && Files.isDirectory(view.resolve("hooks")));

        Path main = Files.createTempDirectory(ws.getParent(), "main");
        git(main, "init", "-q");
        git(main, "commit", "-q", "--allow-empty", "-m", "init");
        Path worktree = main.getParent().resolve(main.getFileName() + "-wt");
        git(main, "worktree", "add", "-q", worktree.toString());
        Files.writeString(worktree.resolve("claude-devc.yaml"), "name: demo\n");
        run(worktree, "cp", "-a", ws.resolve(".devcontainer").toString(), worktree.toString());
        assertTrue(Files.isRegularFile(worktree.resolve(".git")));
        Run r = run(worktree, "bash", ".devcontainer/claude-devc-host.sh", worktree.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(Files.isRegularFile(worktree.resolve(".devcontainer/.claude-devc-run/git/config")));
    }

    @Test
    void aCommondirInDotGitIsRefused() throws Exception {
        repo();
        Files.writeString(ws.resolve(".git/commondir"), "../evil\n");
        assertRefused(".git/commondir");
    }

    @Test
    void aNestedRepositoryWhoseConfigRunsACommandIsRefused() throws Exception {
        repo();
        Path sub = Files.createDirectories(ws.resolve("vendor/sub"));
        git(sub, "init", "-q");
        git(sub, "config", "core.fsmonitor", "touch /tmp/pwned");
        assertRefused("core.fsmonitor");
    }

    @Test
    void aNestedRepositoryWithAHookIsRefused() throws Exception {
        repo();
        Path sub = Files.createDirectories(ws.resolve("sub"));
        git(sub, "init", "-q");
        Files.writeString(sub.resolve(".git/hooks/post-checkout"), "#!/bin/sh\ntouch /tmp/pwned\n");
        assertRefused("hook");
    }

    @Test
    void aNestedGitdirRedirectIntoTheWorkspaceIsRefused() throws Exception {
        repo();
        Files.createDirectories(ws.resolve("evil"));
        Files.createDirectories(ws.resolve("sub"));
        Files.writeString(ws.resolve("sub/.git"), "gitdir: ../evil\n");
        assertRefused("redirects git");
    }

    @Test
    void aProtectedPathThatIsASymbolicLinkIsRefused() throws Exception {
        repo();
        Files.createSymbolicLink(ws.resolve(".vscode"), Path.of("/etc"));
        assertRefused(".vscode is a symbolic link");
    }

    @Test
    void aNestedRepositoryWithPlainSettingsStarts() throws Exception {
        repo();
        Path sub = Files.createDirectories(ws.resolve("sub"));
        git(sub, "init", "-q");
        git(sub, "config", "user.name", "x");
        Run r = hostStep();
        assertEquals(0, r.exitCode(), r.output());
    }

    private void assertRefused(String reason) throws Exception {
        Run r = hostStep();
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("refusing to start") && r.output().contains(reason), r.output());
    }
}
