package dev.claudedevc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.claudedevc.cli.CliRun;
import dev.claudedevc.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * What VS Code forwards when it attaches, planted the way it plants it (after the container started, as root for
 * the system git config, as the user for its sockets and server processes): inspect reports each as high; the
 * attach step (what postAttachCommand runs at every attach) leaves the agent unable to use the credential helper
 * or the SSH agent socket; a clean container has no high finding.
 */
class ForwardedCredentialsIT {

    private static final String BASE_IMAGE = System.getProperty("claude-devc.base-image", "local/debian:bookworm");
    /** As VS Code's helper: a shell function calling its node script; this one answers with a host "password". */
    private static final String HELPER = "!f() { echo username=person; echo password=host-secret; }; f "
            + "/tmp/vscode-remote-containers-0000.js git-credential-helper";
    private static final String FILL = "printf 'protocol=https\\nhost=github.com\\n\\n' | GIT_TERMINAL_PROMPT=0 "
            + "git credential fill";

    @TempDir
    static Path work;

    private static DevcontainerCli cli;

    @BeforeAll
    static void findCli() {
        cli = DevcontainerCli.find(work);
    }

    private static DevcontainerCli.Result sh(Path repo, String script) throws Exception {
        return cli.run("exec", repo, repo.resolve(".devcontainer/devcontainer.json"), "bash", "-c", script);
    }

    /** A command in the container as VS Code's server would run it (docker exec, detached, with its environment). */
    private static void plant(String id, String user, List<String> env, String... command) throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        String exec = docker.execCreateCmd(id).withUser(user).withEnv(env).withCmd(command)
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        docker.execStartCmd(exec).withDetach(true).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(10,
                TimeUnit.SECONDS);
    }

    @Test
    void forwardedCredentialsPlantedAtAttachAreReportedAndTheAttachStepRemovesThem() throws Exception {
        Path repo = Files.createDirectories(work.resolve("forwarded"));
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: forwarded\nimage: " + BASE_IMAGE
                + "\nclaudeCode: {install: none}\n");
        CliRun.of("generate", "-C", repo.toString()).exits(0);
        new ProcessBuilder("chown", "-R", "1000:1000", repo.toString()).start().waitFor();
        try {
            DevcontainerCli.Result up = cli.run("up", repo, repo.resolve(".devcontainer/devcontainer.json"));
            assertEquals(0, up.code(), up::text);
            assertTrue(up.text().contains("claude-devc-attach: removed"), "up ran the attach step: " + up.text());
            String id = DevcontainerCli.containerOf(repo);

            CliRun clean = CliRun.of("inspect", "--container", id, "-C", repo.toString()).exits(0);
            assertTrue(clean.err().startsWith("0 high"), clean.out() + clean.err());

            // What VS Code plants when it attaches, after every start-time step.
            plant(id, "root", List.of(), "git", "config", "--system", "credential.helper", HELPER);
            plant(id, "dev", List.of(), "socat", "UNIX-LISTEN:/tmp/vscode-ssh-auth-0000.sock,fork", "EXEC:cat");
            plant(id, "dev", List.of("REMOTE_CONTAINERS_IPC=/tmp/vscode-remote-containers-ipc-0000.sock",
                    "VSCODE_IPC_HOOK_CLI=/tmp/vscode-ipc-0000.sock"), "socat",
                    "UNIX-LISTEN:/tmp/vscode-remote-containers-ipc-0000.sock,fork", "EXEC:cat");
            Thread.sleep(500);
            DevcontainerCli.Result before = sh(repo, FILL);
            assertTrue(before.stdout().contains("password=host-secret"), "the planted helper works: " + before.text());

            CliRun planted = CliRun.of("inspect", "--container", id, "-C", repo.toString(), "--json")
                    .exits(ExitCodes.VERIFICATION_FAILED);
            for (String subject : List.of("credential.helper (system)", "/tmp/vscode-ssh-auth-0000.sock",
                    "/tmp/vscode-remote-containers-ipc-0000.sock", "REMOTE_CONTAINERS_IPC", "VSCODE_IPC_HOOK_CLI")) {
                assertTrue(planted.out().matches("(?s).*\"severity\" : \"high\",\\s*\"area\" : \"[a-z-]+\",\\s*"
                        + "\"subject\" : \"" + java.util.regex.Pattern.quote(subject) + "\".*"), subject + " high:\n"
                        + planted.out());
            }
            assertFalse(planted.out().contains("host-secret"), "no value is printed");

            // A re-attach: VS Code runs postAttachCommand again.
            DevcontainerCli.Result attach = sh(repo, "sudo -n /usr/local/sbin/claude-devc-attach");
            assertEquals(0, attach.code(), attach::text);
            DevcontainerCli.Result after = sh(repo, FILL);
            assertNotEquals(0, after.code(), after::text);
            assertFalse(after.stdout().contains("host-secret"), "the agent can no longer use the helper: " + after.text());
            DevcontainerCli.Result ssh = sh(repo, "test -S /tmp/vscode-ssh-auth-0000.sock");
            assertNotEquals(0, ssh.code(), "the SSH agent socket is gone");

            CliRun later = CliRun.of("inspect", "--container", id, "-C", repo.toString());
            assertFalse(later.out().contains("credential.helper (system)"), later.out());
            assertFalse(later.out().contains("vscode-ssh-auth"), later.out());
            // A VS Code server process keeps its environment: only the host settings stop that forwarding.
            assertTrue(later.out().contains("REMOTE_CONTAINERS_IPC"), later.out());
        } finally {
            DevcontainerCli.remove(repo);
        }
    }
}
