package dev.claudedevc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import dev.claudedevc.testing.DockerRequired;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;

/** The official Dev Containers CLI (what VS Code runs) for tests: up, exec and clean-up of one workspace folder. */
final class DevcontainerCli {

    /** One run of the CLI. */
    record Result(int code, String stdout, String stderr) {
        String text() {
            return "exit " + code + "\nstdout:\n" + stdout + "\nstderr:\n" + tail(stderr);
        }

        private static String tail(String s) {
            return s.length() > 6000 ? "…" + s.substring(s.length() - 6000) : s;
        }
    }

    private final Path cli;
    private final Path scratch;

    private DevcontainerCli(Path cli, Path scratch) {
        this.cli = cli;
        this.scratch = scratch;
    }

    /** The CLI at CLAUDE_DEVC_DEVCONTAINER_CLI or where .ci/provision installs it; skips (fails under CI) without it. */
    static DevcontainerCli find(Path scratch) {
        DockerRequired.check();
        Path cli = Path.of(System.getenv().getOrDefault("CLAUDE_DEVC_DEVCONTAINER_CLI",
                "/var/cache/claude-devc/devcontainers-cli/node_modules/.bin/devcontainer"));
        DockerRequired.tool(Files.isExecutable(cli), "the Dev Containers CLI at " + cli);
        return new DevcontainerCli(cli, scratch);
    }

    /** The CLI's executable. */
    Path path() {
        return cli;
    }

    /** {@code devcontainer VERB --workspace-folder REPO --config CONFIG [COMMAND...]}. */
    Result run(String verb, Path repo, Path config, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(cli.toString(), verb, "--workspace-folder", repo.toString(),
                "--config", config.toString()));
        if (verb.equals("up")) {
            args.addAll(List.of("--log-level", "info"));
        }
        args.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(args).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path stdout = Files.createTempFile(scratch, "out", ".txt");
        Path stderr = Files.createTempFile(scratch, "err", ".txt");
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("devcontainer " + verb + " did not finish in 5 minutes");
        }
        return new Result(p.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    /** The one container the CLI made for {@code repo}. */
    static String containerOf(Path repo) {
        List<Container> containers = DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("devcontainer.local_folder", repo.toString())).exec();
        assertEquals(1, containers.size(), "one dev container for " + repo);
        return containers.get(0).getId();
    }

    /** Removes the containers the CLI made for {@code repo}, and their per-project volumes. */
    static void remove(Path repo) {
        DockerClient docker = DockerClientFactory.instance().client();
        List<Container> containers = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("devcontainer.local_folder", repo.toString())).exec();
        for (Container c : containers) {
            InspectContainerResponse info = docker.inspectContainerCmd(c.getId()).exec();
            docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
            info.getMounts().stream().filter(m -> m.getName() != null && m.getName().startsWith("claude-devc-"))
                    .forEach(m -> docker.removeVolumeCmd(m.getName()).exec());
        }
    }
}
