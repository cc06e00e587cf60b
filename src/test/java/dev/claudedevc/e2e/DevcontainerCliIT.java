package dev.claudedevc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import dev.claudedevc.cli.Main;
import dev.claudedevc.testing.DockerRequired;
import dev.claudedevc.validate.DevcontainerCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * End to end under the official Dev Containers CLI (what VS Code runs): the generated folder comes up, the
 * firewall applies at start, the agent's user reaches an allowlisted server and not another, and a firewall
 * whose self-test fails makes {@code devcontainer up} fail. Only containers this test creates are contacted, on
 * an internal network of its own.
 */
class DevcontainerCliIT {

    private static final String LABEL = "dev.claudedevc.test";
    private static final String BASE_IMAGE = System.getProperty("claude-devc.base-image", "local/debian:bookworm");

    private static DevcontainerCli devcontainerCli;
    private static Network network;
    private static GenericContainer<?> allowed;
    private static GenericContainer<?> blocked;

    @TempDir
    static Path work;

    @BeforeAll
    static void startTestServers() {
        devcontainerCli = DevcontainerCli.find(work);
        DockerClient docker = DockerClientFactory.instance().client();
        docker.listNetworksCmd().exec().stream()
                .filter(n -> n.getLabels() != null && "devcontainer-cli".equals(n.getLabels().get(LABEL)))
                .forEach(n -> docker.removeNetworkCmd(n.getId()).exec());
        network = Network.builder()
                .createNetworkCmdModifier(cmd -> cmd.withInternal(true).withLabels(Map.of(LABEL, "devcontainer-cli")))
                .build();
        ImageFromDockerfile server = new ImageFromDockerfile("claude-devc-it/http-server:1", false)
                .withDockerfileFromBuilder(b -> b.from(BASE_IMAGE)
                        .run("apt-get update && apt-get install -y --no-install-recommends socat"
                                + " && rm -rf /var/lib/apt/lists/*")
                        .build());
        allowed = httpServer(server, "allowed.test", "hello-from-allowed");
        blocked = httpServer(server, "blocked.test", "hello-from-blocked");
    }

    private static GenericContainer<?> httpServer(ImageFromDockerfile image, String alias, String body) {
        GenericContainer<?> c = new GenericContainer<>(image)
                .withNetwork(network)
                .withNetworkAliases(alias)
                .withLabel(LABEL, "devcontainer-cli")
                .withCommand("socat", "TCP-LISTEN:80,fork,reuseaddr",
                        "SYSTEM:echo HTTP/1.0 200 OK; echo; echo " + body);
        c.start();
        return c;
    }

    @AfterAll
    static void stop() {
        if (allowed != null) {
            allowed.stop();
        }
        if (blocked != null) {
            blocked.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void theGeneratedFolderComesUpUnderTheDevcontainerCliWithTheFirewallInForce() throws Exception {
        Path repo = project("cli-ok", "allowed.test:80");
        try {
            DevcontainerCli.Result up = devcontainer("up", repo);
            assertEquals(0, up.code(), up::text);
            assertTrue(up.stdout().contains("\"outcome\":\"success\""), up::text);

            DevcontainerCli.Result whoami = devcontainer("exec", repo, "id", "-un");
            assertEquals("dev", whoami.stdout().strip(), whoami::text);
            DevcontainerCli.Result reach = devcontainer("exec", repo, "curl", "-sS", "--max-time", "5", "http://allowed.test/");
            assertEquals(0, reach.code(), reach::text);
            assertTrue(reach.stdout().contains("hello-from-allowed"), reach::text);

            DevcontainerCli.Result denied = devcontainer("exec", repo, "curl", "-sS", "--max-time", "5", "http://blocked.test/");
            assertNotEquals(0, denied.code(), denied::text);
            assertTrue(!denied.stdout().contains("hello-from-blocked"), denied::text);
            String blockedIp = blocked.getContainerInfo().getNetworkSettings().getNetworks().values().iterator()
                    .next().getIpAddress();
            DevcontainerCli.Result direct = devcontainer("exec", repo, "curl", "-sS", "--max-time", "5", "http://" + blockedIp + "/");
            assertNotEquals(0, direct.code(), direct::text);
            assertTrue(!direct.stdout().contains("hello-from-blocked"), direct::text);

            // One denial record: the agent reads it inside, the person gets it from `audit -C` without a name.
            DevcontainerCli.Result denials = devcontainer("exec", repo, "claude-devc-denials");
            assertTrue(denials.stdout().contains("blocked by the dev container firewall: blocked.test — ask to add it"
                    + " to claude-devc.yaml"), denials::text);
            dev.claudedevc.cli.CliRun audit = dev.claudedevc.cli.CliRun.of("audit", "-C", repo.toString()).exits(0);
            assertTrue(audit.err().contains("dev container for " + repo + ": "), audit.err());
            assertTrue(audit.out().contains("blocked.test"), audit.out());
        } finally {
            removeDevcontainer(repo);
        }
        dev.claudedevc.cli.CliRun gone = dev.claudedevc.cli.CliRun.of("audit", "-C", repo.toString()).exits(11);
        assertTrue(gone.err().contains("no running dev container for " + repo), gone.err());
    }

    /** As the agent sees a box whose firewall holds: the allowlisted server answers, the other one does not. */
    private void assertInForce(Path repo) throws Exception {
        DevcontainerCli.Result reach = devcontainer("exec", repo, "curl", "-sS", "--max-time", "5", "http://allowed.test/");
        assertEquals(0, reach.code(), reach::text);
        assertTrue(reach.stdout().contains("hello-from-allowed"), reach::text);
        String blockedIp = blocked.getContainerInfo().getNetworkSettings().getNetworks().values().iterator()
                .next().getIpAddress();
        DevcontainerCli.Result direct = devcontainer("exec", repo, "curl", "-sS", "--max-time", "5", "http://" + blockedIp + "/");
        assertNotEquals(0, direct.code(), direct::text);
        assertTrue(!direct.stdout().contains("hello-from-blocked"), direct::text);
        DevcontainerCli.Result status = devcontainer("exec", repo, "/usr/local/sbin/claude-devc-firewall", "status");
        assertEquals(0, status.code(), status::text);
        assertTrue(status.stdout().startsWith("result=ok\n"), status::text);
    }

    @Test
    void aDockerRestartAndAStopThenUpApplyTheFirewallAgain() throws Exception {
        Path repo = project("cli-restart", "allowed.test:80");
        try {
            DevcontainerCli.Result up = devcontainer("up", repo);
            assertEquals(0, up.code(), up::text);
            String id = containerOf(repo);
            DockerClient docker = DockerClientFactory.instance().client();

            // The restart replays the start command the CLI gave the container; the entrypoint runs again.
            docker.restartContainerCmd(id).withTimeout(2).exec();
            DevcontainerCli.Result waited = devcontainer("exec", repo, "/usr/local/sbin/claude-devc-firewall", "wait");
            assertEquals(0, waited.code(), waited::text);
            assertInForce(repo);

            docker.stopContainerCmd(id).withTimeout(2).exec();
            DevcontainerCli.Result again = devcontainer("up", repo);
            assertEquals(0, again.code(), again::text);
            assertEquals(id, containerOf(repo), "up after a stop starts the same container");
            assertInForce(repo);
        } finally {
            removeDevcontainer(repo);
        }
    }

    @Test
    void aPolicyThatCannotBeAppliedFailsUpAndLeavesTheContainerClosed() throws Exception {
        Path repo = project("cli-bad-policy", "allowed.test:80");
        Files.writeString(repo.resolve(".devcontainer/claude-devc-policy.conf"), "allow-name 0 exact x_y.test\n",
                java.nio.file.StandardOpenOption.APPEND);
        try {
            DevcontainerCli.Result up = devcontainer("up", repo);
            assertNotEquals(0, up.code(), up::text);
            assertTrue(up.text().contains("FAILED at this container start"), up::text);
            String logs = logsOf(containerOf(repo));
            assertTrue(logs.contains("claude-devc-firewall: FAILED: policy line"), logs);
            DevcontainerCli.Result reach = devcontainer("exec", repo, "curl", "-sS", "--max-time", "5", "http://allowed.test/");
            assertNotEquals(0, reach.code(), reach::text);
            assertTrue(!reach.stdout().contains("hello-from-allowed"), reach::text);
        } finally {
            removeDevcontainer(repo);
        }
    }

    private static String containerOf(Path repo) {
        return DevcontainerCli.containerOf(repo);
    }

    private static String logsOf(String id) throws Exception {
        StringBuilder text = new StringBuilder();
        DockerClientFactory.instance().client().logContainerCmd(id).withStdOut(true).withStdErr(true)
                .exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                    @Override
                    public void onNext(com.github.dockerjava.api.model.Frame frame) {
                        text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }).awaitCompletion(10, TimeUnit.SECONDS);
        return text.toString();
    }

    @Test
    void aFailingFirewallSelfTestMakesDevcontainerUpFail() throws Exception {
        // blocked.test is a live server, but not allowlisted: the self-test's must-allow check cannot pass.
        Path repo = project("cli-fail", "blocked.test:80");
        try {
            DevcontainerCli.Result up = devcontainer("up", repo);
            assertNotEquals(0, up.code(), up::text);
            assertTrue(up.text().contains("postStartCommand") || up.text().contains("claude-devc-firewall"),
                    up::text);
        } finally {
            removeDevcontainer(repo);
        }
    }

    /**
     * Beside a project's own {@code .devcontainer/}, init renders a named configuration that the official CLI
     * reads as the IDE will: the Dockerfile and build context relative to the nested folder, the workspace mount
     * still the project folder (not the nested one).
     */
    @Test
    void aNamedConfigurationBesideTheProjectsOwnResolvesToTheProjectFolder() throws Exception {
        Path repo = Files.createDirectories(work.resolve("cli-nested"));
        Files.createDirectories(repo.resolve(".devcontainer"));
        Files.writeString(repo.resolve(".devcontainer/devcontainer.json"), "{\"image\": \"their/own\"}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"init", "-C", repo.toString(), "--claude-install", "none"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, code, out::toString);
        Path config = repo.resolve(".devcontainer/claude/devcontainer.json");
        ProcessBuilder pb = new ProcessBuilder(devcontainerCli.path().toString(), "read-configuration", "--workspace-folder",
                repo.toString(), "--config", config.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        byte[] stdout = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), new String(stdout, StandardCharsets.UTF_8));
        var read = new ObjectMapper().readTree(stdout).path("configuration");
        assertEquals("source=" + repo + ",target=/workspace,type=bind,consistency=delegated",
                read.path("workspaceMount").asText());
        assertEquals(config.toString(), read.path("configFilePath").path("fsPath").asText());
        assertEquals("Dockerfile", read.path("build").path("dockerfile").asText());
        assertTrue(Files.isRegularFile(config.resolveSibling("Dockerfile")));
        assertEquals("{\"image\": \"their/own\"}\n", Files.readString(repo.resolve(".devcontainer/devcontainer.json")));
    }

    private static List<String> subnets() {
        return DockerClientFactory.instance().client().inspectNetworkCmd().withNetworkId(network.getId()).exec()
                .getIpam().getConfig().stream()
                .map(com.github.dockerjava.api.model.Network.Ipam.Config::getSubnet).toList();
    }

    /** A repository with a descriptor, rendered by claude-devc, plus a config beside it that joins the test network. */
    private static Path project(String name, String mustAllow) throws IOException {
        Path repo = Files.createDirectories(work.resolve(name));
        Files.writeString(repo.resolve("claude-devc.yaml"), String.join("\n",
                "name: " + name,
                "image: " + BASE_IMAGE,
                "claudeCode: {install: none}",
                "network:",
                "  allowedDomains: [\"allowed.test:80\"]",
                // The test servers live on this private network: what network.privateAnswers is for.
                "  privateAnswers: [" + String.join(", ", subnets()) + "]",
                "  verify:",
                "    allow: [\"" + mustAllow + "\"]",
                "    deny: [\"blocked.test:80\"]",
                ""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"generate", "-C", repo.toString()}, new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, code, out::toString);
        // The generated devcontainer.json, unchanged but for joining the test's internal network.
        Path generated = repo.resolve(".devcontainer/devcontainer.json");
        ObjectNode config = (ObjectNode) DevcontainerCheck.parse(Files.readString(generated), generated.toString());
        ((ArrayNode) config.get("runArgs")).add("--network=" + network.getId());
        ObjectNode build = (ObjectNode) config.get("build");
        build.put("dockerfile", "../Dockerfile").put("context", "..");
        Files.createDirectories(repo.resolve(".devcontainer/it"));
        Files.writeString(repo.resolve(".devcontainer/it/devcontainer.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(config));
        return repo;
    }

    private static DevcontainerCli.Result devcontainer(String verb, Path repo, String... command) throws Exception {
        return devcontainerCli.run(verb, repo, repo.resolve(".devcontainer/it/devcontainer.json"), command);
    }

    private static void removeDevcontainer(Path repo) {
        DevcontainerCli.remove(repo);
    }
}
