package dev.claudedevc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.cli.CliRun;
import dev.claudedevc.cli.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workspace boundary under the official Dev Containers CLI, in real git repositories: as the agent's user every
 * protected path is read-only and the host's bytes stay the same, while git commits, branches, fetches and pushes
 * still work; .git cannot be renamed; a folder without .vscode and a git worktree start; a planted
 * .git/commondir and a nested repository whose config runs a command are reported high by inspect and make the
 * host step refuse the next start.
 */
class WorkspaceBoundaryIT {

    private static final String BASE_IMAGE = System.getProperty("claude-devc.base-image", "local/debian:bookworm");
    /** The agent's uid in the image; the host here is root, so the workspace is handed to it as a host user's would be. */
    private static final String AGENT_UID = "1000";

    @TempDir
    static Path work;

    private static DevcontainerCli cli;

    @BeforeAll
    static void findCli() {
        cli = DevcontainerCli.find(work);
    }

    record Run(int code, String output) {
    }

    private static Run host(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "timed out: " + List.of(command));
        return new Run(p.exitValue(), out);
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-c", "safe.directory=*", "-c", "user.name=host",
                "-c", "user.email=host@example.test"));
        command.addAll(List.of(args));
        Run r = host(dir, command.toArray(String[]::new));
        assertEquals(0, r.code(), r.output());
    }

    /** A repository with a descriptor, rendered by claude-devc, committed, owned by the agent's uid. */
    private static Path repository(String name) throws Exception {
        Path repo = Files.createDirectories(work.resolve(name));
        git(repo, "init", "-q", "-b", "main");
        writeDescriptor(repo, name);
        Files.writeString(repo.resolve("README.md"), "hello\n");
        git(repo, "init", "-q", "--bare", "remote.git");
        git(repo, "remote", "add", "origin", "remote.git");
        git(repo, "add", "-A");
        git(repo, "commit", "-qm", "initial");
        git(repo, "push", "-q", "origin", "main");
        host(repo, "chown", "-R", AGENT_UID + ":" + AGENT_UID, repo.toString());
        return repo;
    }

    private static void writeDescriptor(Path repo, String name) throws IOException {
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: " + name + "\nimage: " + BASE_IMAGE
                + "\nclaudeCode: {install: none}\n");
        CliRun.of("generate", "-C", repo.toString()).exits(0);
    }

    private static DevcontainerCli.Result up(Path repo) throws Exception {
        return cli.run("up", repo, repo.resolve(".devcontainer/devcontainer.json"));
    }

    private static DevcontainerCli.Result sh(Path repo, String script) throws Exception {
        return cli.run("exec", repo, repo.resolve(".devcontainer/devcontainer.json"), "bash", "-c", script);
    }

    /** SHA-256 of every file below the protected paths, as the host sees them. */
    private static Map<String, String> hostBytes(Path repo) throws Exception {
        Map<String, String> sums = new TreeMap<>();
        for (String p : List.of(".devcontainer", "claude-devc.yaml", ".git/config", ".git/hooks", ".git/info",
                ".vscode", ".claude")) {
            Path root = repo.resolve(p);
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path f : walk.filter(Files::isRegularFile).filter(f -> !f.toString().contains(".claude-devc-run"))
                        .toList()) {
                    sums.put(repo.relativize(f).toString(), HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
                }
            }
        }
        return sums;
    }

    @Test
    void protectedPathsAreReadOnlyWhileGitWorksAndTamperingIsCaught() throws Exception {
        Path repo = repository("boundary-repo");
        assertTrue(!Files.exists(repo.resolve(".vscode")), "the repository has no .vscode");
        try {
            DevcontainerCli.Result up = up(repo);
            assertEquals(0, up.code(), up::text);
            Map<String, String> before = hostBytes(repo);

            for (String path : List.of(".devcontainer/devcontainer.json", ".devcontainer/new-file",
                    ".devcontainer/claude-devc-host.sh", "claude-devc.yaml", ".git/config", ".git/hooks/pre-commit",
                    ".git/info/attributes", ".git/config.worktree", ".git/commondir", ".vscode/tasks.json",
                    ".claude/settings.json", "/var/lib/claude-devc/git/config",
                    "/var/lib/claude-devc/git/hooks/post-checkout", "/var/lib/claude-devc/git/info/attributes",
                    "/var/lib/claude-devc/git/modules/x")) {
                DevcontainerCli.Result write = sh(repo, "cd /workspace && id -un && echo pwned > " + path);
                assertNotEquals(0, write.code(), path + ": " + write.text());
                assertTrue(write.stdout().startsWith("dev"), write::text);
                assertTrue(write.stderr().contains("Read-only file system"), path + ": " + write.text());
            }
            DevcontainerCli.Result rename = sh(repo, "cd /workspace && mv .git .git-old");
            assertNotEquals(0, rename.code(), rename::text);
            assertTrue(rename.stderr().contains("Device or resource busy"), rename::text);
            DevcontainerCli.Result replace = sh(repo, "cd /workspace && rm -rf .git");
            assertTrue(Files.isRegularFile(repo.resolve(".git/HEAD")), replace::text);

            DevcontainerCli.Result gitWorks = sh(repo, String.join(" && ", "cd /workspace",
                    "git config --global user.name agent", "git config --global user.email agent@example.test",
                    "echo change >> README.md", "git status --short | grep -q README.md", "git add README.md",
                    "git commit -qm 'from the container'", "git checkout -q -b feature", "git push -q origin feature",
                    "git fetch -q origin", "git log --oneline -1"));
            assertEquals(0, gitWorks.code(), gitWorks::text);
            for (String refused : List.of("git remote add other ../x", "git branch -u origin/main",
                    "git push -u origin feature", "git config core.fsmonitor 'touch /tmp/x'")) {
                DevcontainerCli.Result r = sh(repo, "cd /workspace && " + refused);
                assertNotEquals(0, r.code(), refused + ": " + r.text());
                assertTrue(r.stderr().contains("writes .git/config, which is read-only here"), refused + ": " + r.text());
            }
            DevcontainerCli.Result direct = sh(repo, "cd /workspace && GIT_DIR=/var/lib/claude-devc/git "
                    + "/usr/bin/git config core.fsmonitor 'touch /tmp/x'");
            assertNotEquals(0, direct.code(), "without the wrapper the mount still refuses: " + direct.text());

            assertEquals(before, hostBytes(repo), "the host's protected files are byte-identical");
            Run log = host(repo, "git", "-c", "safe.directory=*", "log", "--format=%s", "-1", "feature");
            assertEquals("from the container", log.output().strip(), log.output());
            Run pushed = host(repo, "git", "-c", "safe.directory=*", "--git-dir=remote.git", "log", "--format=%s",
                    "-1", "feature");
            assertEquals("from the container", pushed.output().strip(), pushed.output());
            assertTrue(Files.isDirectory(repo.resolve(".vscode")), "the host step made the placeholder");

            String id = DevcontainerCli.containerOf(repo);
            CliRun clean = CliRun.of("inspect", "--container", id, "-C", repo.toString()).exits(0);
            assertTrue(clean.err().startsWith("0 high"), clean.out() + clean.err());

            // Tampering mounts cannot prevent: a commondir, a nested repository whose config runs a command.
            DevcontainerCli.Result tamper = sh(repo, String.join(" && ", "cd /workspace", "mkdir -p vendor/sub",
                    "cd vendor/sub", "git init -q", "git config core.fsmonitor 'touch /tmp/pwned'",
                    "echo ../evil > /var/lib/claude-devc/git/commondir"));
            assertEquals(0, tamper.code(), tamper::text);
            CliRun inspect = CliRun.of("inspect", "--container", id, "-C", repo.toString())
                    .exits(ExitCodes.VERIFICATION_FAILED);
            assertTrue(inspect.out().contains("/var/lib/claude-devc/git/commondir")
                    && inspect.out().contains("/workspace/vendor/sub/.git/config")
                    && inspect.out().contains("core.fsmonitor"), inspect.out());

            com.github.dockerjava.api.DockerClient docker = org.testcontainers.DockerClientFactory.instance().client();
            docker.stopContainerCmd(id).withTimeout(2).exec();
            DevcontainerCli.Result again = up(repo);
            assertNotEquals(0, again.code(), again::text);
            assertTrue(again.text().contains("refusing to start the container: .git/commondir exists"), again::text);
            Files.delete(repo.resolve(".git/commondir"));
            DevcontainerCli.Result nested = up(repo);
            assertNotEquals(0, nested.code(), nested::text);
            assertTrue(nested.text().contains("core.fsmonitor"), nested::text);
        } finally {
            DevcontainerCli.remove(repo);
        }
    }

    @Test
    void aGitWorktreeStarts() throws Exception {
        Path main = repository("boundary-main");
        Path worktree = work.resolve("boundary-worktree");
        git(main, "worktree", "add", "-q", "-b", "wt", worktree.toString());
        assertTrue(Files.isRegularFile(worktree.resolve(".git")), "a worktree's .git is a file");
        host(worktree, "chown", "-R", AGENT_UID + ":" + AGENT_UID, worktree.toString());
        try {
            DevcontainerCli.Result up = up(worktree);
            assertEquals(0, up.code(), up::text);
            DevcontainerCli.Result write = sh(worktree, "echo gitdir: /tmp > /workspace/.git");
            assertTrue(write.stderr().contains("Read-only file system"), write::text);
            assertTrue(Files.readString(worktree.resolve(".git")).startsWith("gitdir: " + main), "unchanged");
        } finally {
            DevcontainerCli.remove(worktree);
        }
    }
}
