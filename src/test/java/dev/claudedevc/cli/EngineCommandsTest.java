package dev.claudedevc.cli;

import static dev.claudedevc.docker.FakeEngine.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudedevc.docker.BuildRequest;
import dev.claudedevc.docker.EngineException;
import dev.claudedevc.docker.FakeEngine;
import dev.claudedevc.docker.ImageInfo;
import dev.claudedevc.docker.RunningContainer;
import dev.claudedevc.model.ImageLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build, verify and audit against a scripted engine: what they ask of it and what they make of its answers. */
class EngineCommandsTest {

    private static final String BASE = "local/debian:bookworm";
    private static final String LOG_DIR = ImageLayout.DNS_LOG.substring(0, ImageLayout.DNS_LOG.lastIndexOf('/'));

    @TempDir
    Path project;

    private final FakeEngine engine = new FakeEngine();

    @BeforeEach
    void generated() throws IOException {
        Files.writeString(project.resolve("claude-devc.yaml"), """
                name: demo
                image: debian:bookworm
                claudeCode:
                  install: none
                network:
                  allowedDomains: [allowed.test]
                """);
        CliRun.of("generate", "-C", project.toString()).exits(0);
    }

    private CliRun run(String... args) {
        return CliRun.with(() -> engine, args);
    }

    private String descriptorSha() {
        return dev.claudedevc.descriptor.DescriptorReader.load(project, java.util.Optional.empty()).sha256();
    }

    @Test
    void buildLabelsTheImageWithTheDescriptorAndReportsIt() throws IOException {
        engine.image(new ImageInfo("sha256:base", List.of(BASE), Map.of()))
                .onBuild(r -> new ImageInfo("sha256:built", r.tags(), r.labels()));
        CliRun run = run("build", "-C", project.toString(), "--base-image", BASE, "-q", "--json").exits(0);
        BuildRequest request = engine.builds.get(0);
        assertEquals(List.of("claude-devc/demo:latest"), request.tags());
        assertEquals(BASE, request.buildArgs().get(Images.BASE_IMAGE_ARG));
        assertEquals(descriptorSha(), request.labels().get(Images.LABEL_DESCRIPTOR));
        assertEquals(project.resolve(".devcontainer"), request.contextDir());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals("built", json.get("outcome").asText());
        assertEquals("sha256:built", json.get("id").asText());
        assertTrue(engine.closed(), "the engine is released");
    }

    @Test
    void buildRefusesAMissingBaseImageWithoutBuilding() {
        CliRun run = run("build", "-C", project.toString(), "--base-image", BASE).exits(ExitCodes.BUILD_FAILED);
        assertTrue(run.err().contains("base image " + BASE + " is not present locally (build never pulls)"),
                run.err());
        assertTrue(engine.builds.isEmpty(), engine.calls.toString());
    }

    @Test
    void aFailedBuildIsExitEight() {
        engine.image(new ImageInfo("sha256:base", List.of(BASE), Map.of())).onBuild(r -> {
            throw new EngineException("the daemon refused", null);
        });
        CliRun run = run("build", "-C", project.toString(), "--base-image", BASE, "-q")
                .exits(ExitCodes.BUILD_FAILED);
        assertTrue(run.err().contains("image build failed: the daemon refused"), run.err());
    }

    @Test
    void verifyWithoutAnImageSaysToBuildFirstAndStartsNothing() {
        CliRun run = run("verify", "-C", project.toString(), "--internal").exits(ExitCodes.NOT_READY);
        assertTrue(run.err().contains("no image claude-devc/demo:latest: run claude-devc build first"), run.err());
        assertFalse(engine.calls.stream().anyMatch(c -> c.startsWith("network ")), engine.calls.toString());
    }

    @Test
    void verifyContainerVerifiesTheImageOfTheProjectsDevContainerAndWarnsWhenItIsStale() {
        engine.running(devContainer("box1", "sha256:boximage"))
                .image(new ImageInfo("sha256:boximage", List.of(), Map.of(Images.LABEL_DESCRIPTOR, "old")))
                .onNetwork(spec -> {
                    throw new EngineException("no networks today", null);
                });
        CliRun run = run("verify", "-C", project.toString(), "--container", "--internal", "--offline");
        assertTrue(run.err().contains("verify: the running dev container box1, image sha256:boximage"), run.err());
        assertTrue(run.err().contains("verify: warning: sha256:boximage was built from another version of the "
                + "descriptor"), run.err());
        assertTrue(engine.calls.contains("image sha256:boximage"), engine.calls.toString());
        assertTrue(run.exitCode() != 0, run.out());
    }

    @Test
    void auditOfCopiesReadsEveryLogGivenTheRotatedOnesToo() throws IOException {
        Path older = Files.writeString(project.resolve("dns.log.1"),
                "Nov 28 18:07:48 dnsmasq[56]: query[A] rotated.test from 127.0.0.1\n"
                + "Nov 28 18:07:48 dnsmasq[56]: config rotated.test is NXDOMAIN");  // no final newline
        Path newer = Files.writeString(project.resolve("dns.log"),
                "Nov 28 18:09:01 dnsmasq[56]: query[A] current.test from 127.0.0.1\n"
                + "Nov 28 18:09:01 dnsmasq[56]: config current.test is NXDOMAIN\n");
        CliRun run = run("audit", "-C", project.toString(), "--log", older.toString(), "--log", newer.toString(),
                "--json").exits(0);
        JsonNode proposals = new ObjectMapper().readTree(run.out()).get("proposals");
        List<String> entries = new java.util.ArrayList<>();
        proposals.forEach(p -> entries.add(p.get("entry").asText()));
        assertEquals(List.of("current.test", "rotated.test"), entries.stream().sorted().toList(), run.out());
        assertTrue(engine.calls.isEmpty(), "copies need no engine: " + engine.calls);
    }

    @Test
    void auditReadsTheProjectsDevContainerProposesAndPrintsTheApplyLine() throws IOException {
        engine.running(devContainer("box1", "sha256:boximage"))
                .files("id-box1", LOG_DIR, Map.of("claude-devc/dns.log", (
                        "Nov 28 18:07:42 dnsmasq[56]: started, version 2.90 cache disabled\n"
                        + "Nov 28 18:07:48 dnsmasq[56]: query[A] wanted.test from 127.0.0.1\n"
                        + "Nov 28 18:07:48 dnsmasq[56]: config wanted.test is NXDOMAIN\n")
                        .getBytes(StandardCharsets.UTF_8)))
                .onExec("id-box1", "root", List.of(ImageLayout.FIREWALL, "status"), ok("result=ok\nmode=enforce\n"));
        CliRun run = run("audit", "-C", project.toString()).exits(0);
        assertTrue(run.out().contains("    - \"wanted.test\""), run.out());
        String last = run.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertEquals("claude-devc apply -C " + Output.display(project), last, run.out());

        CliRun named = run("audit", "-C", project.toString(), "--container", "box1", "--json").exits(0);
        JsonNode json = new ObjectMapper().readTree(named.out());
        assertEquals("proposals", json.get("outcome").asText());
        assertEquals("claude-devc apply -C " + Output.display(project) + " --container box1",
                json.get("apply").asText());

        Path spaced = Files.createDirectories(project.resolve("team's templates"));
        CliRun withTemplates = run("audit", "-C", project.toString(), "--templates", spaced.toString(), "--json")
                .exits(0);
        assertEquals("claude-devc apply -C " + Output.display(project) + " --templates '"
                + Output.display(spaced).replace("'", "'\\''") + "'",
                new ObjectMapper().readTree(withTemplates.out()).get("apply").asText());
    }

    @Test
    void auditOfAContainerWhoseFirewallIsNotInForceIsExitNine() throws IOException {
        engine.running(devContainer("box1", "sha256:boximage"))
                .files("id-box1", LOG_DIR, Map.of("claude-devc/dns.log", "".getBytes(StandardCharsets.UTF_8)))
                .onExec("id-box1", "root", List.of(ImageLayout.FIREWALL, "status"),
                        FakeEngine.exit(1, "result=failed\nerror=policy refused\n"));
        CliRun run = run("audit", "-C", project.toString(), "--json").exits(ExitCodes.VERIFICATION_FAILED);
        assertEquals("not-in-force", new ObjectMapper().readTree(run.out()).get("outcome").asText());
        assertFalse(run.out().contains("\"apply\""), "nothing to apply: " + run.out());
    }

    private RunningContainer devContainer(String name, String image) {
        return new RunningContainer("id-" + name, name, image, Map.of(DevContainers.LOCAL_FOLDER,
                project.toString(), DevContainers.CONFIG_FILE, project.resolve(".devcontainer/devcontainer.json")
                        .toString()));
    }
}
