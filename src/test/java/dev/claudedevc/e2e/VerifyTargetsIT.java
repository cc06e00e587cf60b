package dev.claudedevc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import dev.claudedevc.cli.CliRun;
import dev.claudedevc.cli.ExitCodes;
import dev.claudedevc.testing.DockerRequired;
import dev.claudedevc.validate.DevcontainerCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * {@code verify} targets what actually runs: the dev container the official Dev Containers CLI started (found by
 * its labels for {@code -C DIR}, no name given) and the image that CLI built; and by default it proves the
 * detected registry resolves and connects through the firewall. The "registry" is a lab server
 * ({@code registry.test}) on an {@code --internal} network of this test, named by a team's override of the npm
 * preset: the probe's targets come from the presets, so no public address is ever contacted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyTargetsIT {

    static final String BASE_IMAGE = System.getenv().getOrDefault("CLAUDE_DEVC_BASE_IMAGE", "local/debian:bookworm");
    static final String RUN = java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(3));
    static final String LABEL = "dev.claudedevc.test";

    @TempDir
    static Path work;

    static Path cli;
    static Network network;
    static GenericContainer<?> registry;
    static Path repo;
    static Path team;

    @BeforeAll
    static void startTheLabRegistryAndTheDevContainer() throws Exception {
        DockerRequired.check();
        cli = Path.of(System.getenv().getOrDefault("CLAUDE_DEVC_DEVCONTAINER_CLI",
                "/var/cache/claude-devc/devcontainers-cli/node_modules/.bin/devcontainer"));
        DockerRequired.tool(Files.isExecutable(cli), "the Dev Containers CLI at " + cli);
        network = Network.builder().createNetworkCmdModifier(cmd -> cmd.withInternal(true)
                .withLabels(Map.of(LABEL, "verify-targets-" + RUN))).build();
        registry = new GenericContainer<>(new ImageFromDockerfile("claude-devc-it/registry-server:" + RUN, true)
                .withDockerfileFromBuilder(b -> b.from(BASE_IMAGE)
                        .run("apt-get update && apt-get install -y --no-install-recommends socat"
                                + " && rm -rf /var/lib/apt/lists/*").build()))
                .withNetwork(network).withNetworkAliases("registry.test").withLabel(LABEL, "verify-targets-" + RUN)
                .withCommand("socat", "TCP-LISTEN:443,fork,reuseaddr", "SYSTEM:echo registry");
        registry.start();

        team = Files.createDirectories(work.resolve("team/presets"));
        Files.writeString(team.resolve("npm.yaml"), """
                description: the lab's npm registry
                domains:
                  - host: registry.test
                    why: the test's stand-in for registry.npmjs.org
                """);
        team = team.getParent();
        repo = Files.createDirectories(work.resolve("vt-" + RUN));
        Files.writeString(repo.resolve("claude-devc.yaml"), String.join("\n",
                "name: vt-" + RUN,
                "image: " + BASE_IMAGE,
                "claudeCode: {install: none}",
                "network:",
                "  presets: [npm]",
                // The lab registry lives on this private network: what network.privateAnswers is for.
                "  privateAnswers: [" + String.join(", ", subnets()) + "]",
                ""));
        CliRun.of("generate", "-C", repo.toString(), "--templates", team.toString()).exits(0);
        // The generated devcontainer.json, unchanged but for joining the lab network (as DevcontainerCliIT does).
        Path generated = repo.resolve(".devcontainer/devcontainer.json");
        ObjectNode config = (ObjectNode) DevcontainerCheck.parse(Files.readString(generated), generated.toString());
        ((ArrayNode) config.get("runArgs")).add("--network=" + network.getId());
        ((ObjectNode) config.get("build")).put("dockerfile", "../Dockerfile").put("context", "..");
        Files.createDirectories(repo.resolve(".devcontainer/it"));
        Files.writeString(repo.resolve(".devcontainer/it/devcontainer.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(config));
        String up = devcontainerUp();
        assertTrue(up.contains("\"outcome\":\"success\""), up);
    }

    private static List<String> subnets() {
        return DockerClientFactory.instance().client().inspectNetworkCmd().withNetworkId(network.getId()).exec()
                .getIpam().getConfig().stream()
                .map(com.github.dockerjava.api.model.Network.Ipam.Config::getSubnet).toList();
    }

    @AfterAll
    static void remove() {
        DockerClient docker = DockerClientFactory.instance().client();
        if (repo != null) {
            List<Container> containers = docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of("devcontainer.local_folder", repo.toString())).exec();
            for (Container c : containers) {
                InspectContainerResponse info = docker.inspectContainerCmd(c.getId()).exec();
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                info.getMounts().stream().filter(m -> m.getName() != null && m.getName().startsWith("claude-devc-"))
                        .forEach(m -> docker.removeVolumeCmd(m.getName()).exec());
                try {
                    docker.removeImageCmd(c.getImageId()).withForce(true).exec();
                } catch (RuntimeException e) {
                    // shared or already gone
                }
            }
        }
        if (registry != null) {
            registry.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    private static String devcontainerUp() throws Exception {
        List<String> args = new ArrayList<>(List.of(cli.toString(), "up", "--workspace-folder", repo.toString(),
                "--config", repo.resolve(".devcontainer/it/devcontainer.json").toString()));
        Path out = Files.createTempFile(work, "up", ".txt");
        Process p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "devcontainer up did not finish");
        return Files.readString(out);
    }

    private static CliRun verify(String... extra) {
        List<String> args = new ArrayList<>(List.of("verify", "-C", repo.toString(), "--templates", team.toString(),
                "--container", "--network", network.getId()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static String row(CliRun run, String id) {
        return run.out().lines().filter(l -> l.contains(id.equals("registry-1") ? "  registry registry.test:443"
                : "running: registry registry.test:443")).findFirst().orElse("(no row)");
    }

    @Test
    @Order(1)
    void verifyFindsTheRunningDevContainerByItsLabelsAndProvesTheRegistryThereAndInItsImage() {
        CliRun run = verify().exits(0);
        assertTrue(run.err().contains("the running dev container "), run.err());
        String image = DockerClientFactory.instance().client().listContainersCmd()
                .withLabelFilter(Map.of("devcontainer.local_folder", repo.toString())).exec().get(0).getImageId();
        assertTrue(run.err().contains("image " + image), "verifies the image the Dev Containers CLI built: " + run.err());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("registry registry\\.test:443 +connects +connected +PASS")),
                run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("running: registry registry\\.test:443 +connects +connected +PASS")),
                run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("running: in force now") && l.endsWith("PASS")),
                run.out());
    }

    @Test
    @Order(2)
    void offlineLeavesTheRegistriesOut() {
        CliRun run = verify("--offline").exits(0);
        assertFalse(run.out().contains("registry.test"), run.out());
    }

    @Test
    @Order(3)
    void aRegistryThatDoesNotAnswerFailsVerify() {
        registry.getDockerClient().killContainerCmd(registry.getContainerId()).exec();
        CliRun run = verify().exits(ExitCodes.VERIFICATION_FAILED);
        assertTrue(run.err().contains("registry-1") && run.err().contains("live-registry-1"), run.err());
    }
}
