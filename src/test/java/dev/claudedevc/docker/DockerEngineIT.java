package dev.claudedevc.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.testing.DockerRequired;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/** The engine interface against a real engine, with small images built from the local base (no apt, seconds). */
class DockerEngineIT {

    static final String BASE_IMAGE = System.getenv().getOrDefault("CLAUDE_DEVC_BASE_IMAGE", "local/debian:bookworm");
    static final Map<String, String> LABELS = Map.of("dev.claudedevc.test", "DockerEngineIT");

    static DockerEngine engine;
    static final String RUN = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));

    @BeforeAll
    static void connect() {
        DockerRequired.check();
        engine = DockerEngines.connect();
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void buildKeepsFileModesStreamsStepsAndLabels(@TempDir Path context) throws IOException {
        Files.writeString(context.resolve("Dockerfile"), """
                ARG BASE=scratch
                FROM ${BASE}
                COPY tool.sh /usr/local/bin/tool
                COPY data.conf /etc/data.conf
                RUN test -x /usr/local/bin/tool && test ! -x /etc/data.conf && /usr/local/bin/tool
                """);
        Path tool = Files.writeString(context.resolve("tool.sh"), "#!/bin/sh\necho tool ran as \"$(id -un)\"\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(context.resolve("data.conf"), "x\n");
        List<String> events = new ArrayList<>();
        String tag = "claude-devc-it/engine:" + RUN;
        ImageInfo image = engine.build(new BuildRequest(context, List.of(tag), Map.of("dev.claudedevc.test", "yes"),
                Map.of("BASE", BASE_IMAGE), true), new BuildListener() {
                    @Override
                    public void step(BuildStep step) {
                        events.add(step.toString());
                    }

                    @Override
                    public void output(String line) {
                        events.add("| " + line);
                    }
                });
        assertTrue(image.id().startsWith("sha256:"), image.toString());
        assertTrue(image.tags().contains(tag), image.toString());
        assertEquals("yes", image.labels().get("dev.claudedevc.test"));
        assertEquals("step 1/6: ARG BASE=scratch", events.get(0));
        assertTrue(events.contains("| tool ran as root"), events.toString());
        assertEquals(Optional.of(image.id()), engine.image(tag).map(ImageInfo::id));
        assertEquals(Optional.empty(), engine.image("claude-devc-it/no-such-image:" + RUN));
        DockerClientFactory.instance().client().removeImageCmd(tag).withForce(true).exec();
    }

    @Test
    void aFailingStepIsReportedWithItsLastLines(@TempDir Path context) throws IOException {
        Files.writeString(context.resolve("Dockerfile"), "FROM " + BASE_IMAGE + "\n"
                + "RUN for i in $(seq 1 30); do echo \"line $i\"; done; echo boom; exit 3\n");
        BuildFailedException e = assertThrows(BuildFailedException.class, () -> engine.build(
                new BuildRequest(context, List.of("claude-devc-it/failing:" + RUN), Map.of(), Map.of(), false),
                BuildListener.quiet()));
        assertEquals(2, e.step().orElseThrow().number());
        assertEquals(20, e.lastLines().size(), e.lastLines().toString());
        assertEquals("line 12", e.lastLines().get(0), e.lastLines().toString());
        assertEquals("boom", e.lastLines().get(19), e.lastLines().toString());
        assertTrue(e.getMessage().startsWith("image build failed at step 2/2 (RUN for i in"), e.getMessage());
        assertTrue(e.getMessage().endsWith("returned a non-zero code: 3"), e.getMessage());
    }

    @Test
    void filesWrittenIntoAContainerAreRootsAndAStoppedContainerIsNoLongerRunning() {
        NetworkInfo network = engine.createNetwork(new NetworkSpec("claude-devc-it-apply-" + RUN, true,
                Optional.empty(), LABELS));
        try {
            ContainerInfo c = engine.start(new ContainerSpec(BASE_IMAGE, "claude-devc-it-apply-" + RUN,
                    network.name(), List.of(), "nobody", List.of("sleep", "infinity"), List.of(), Map.of(), LABELS));
            try {
                engine.exec(c.id(), "root", List.of("install", "-d", "-m", "0700", "/var/tmp/staged"),
                        Duration.ofSeconds(10));
                engine.writeFiles(c.id(), "/var/tmp/staged", Map.of("etc/a/policy.conf", "version 1\n".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)));
                assertEquals(new ExecResult(0, "0:0 644 version 1\n0:0 755\n", false), engine.exec(c.id(), "root",
                        List.of("sh", "-c", "f=/var/tmp/staged/etc/a/policy.conf; printf '%s ' $(stat -c '%u:%g %a' "
                                + "$f); cat $f; stat -c '%u:%g %a' /var/tmp/staged/etc/a"), Duration.ofSeconds(10)));
                engine.stopContainer(c.id());
                assertEquals(Optional.empty(), engine.runningContainer(c.id()));
                engine.stopContainer(c.id()); // not running: not an error
            } finally {
                engine.removeContainer(c.id());
            }
        } finally {
            engine.removeNetwork(network.id());
        }
    }

    @Test
    void containersOnAnInternalDualStackNetworkRunCommandsAsAUser() {
        NetworkInfo network = engine.createNetwork(new NetworkSpec("claude-devc-it-" + RUN, true,
                Optional.of("fd42:" + RUN.substring(0, 4) + ":" + RUN.substring(4, 8) + ":1::/64"), LABELS));
        try {
            assertTrue(network.internal() && network.ipv6(), network.toString());
            assertEquals(Optional.of(network), engine.network(network.name()));
            ContainerInfo c = engine.start(new ContainerSpec(BASE_IMAGE, "claude-devc-it-" + RUN, network.name(),
                    List.of("server-" + RUN + ".test"), "nobody", List.of("sleep", "infinity"), List.of("NET_ADMIN"),
                    Map.of(), LABELS));
            try {
                assertTrue(c.ipv4().isPresent() && c.ipv6().orElse("").startsWith("fd42:"), c.toString());
                assertEquals(new ExecResult(0, "nobody\n", false), engine.exec(c.id(), "nobody", List.of("id", "-un"),
                        Duration.ofSeconds(10)));
                ExecResult both = engine.exec(c.id(), "root",
                        List.of("sh", "-c", "echo out; echo err >&2; exit 7"), Duration.ofSeconds(10));
                assertEquals(7, both.exitCode());
                assertTrue(both.output().contains("out\n") && both.output().contains("err\n"), both.output());
                ExecResult resolved = engine.exec(c.id(), "nobody", List.of("getent", "hosts", "server-" + RUN + ".test"),
                        Duration.ofSeconds(10));
                assertTrue(resolved.output().contains(c.ipv4().get()) || resolved.output().contains(c.ipv6().get()),
                        resolved.toString());
                ExecResult slow = engine.exec(c.id(), "root", List.of("sleep", "5"), Duration.ofMillis(300));
                assertTrue(slow.timedOut(), slow.toString());
                assertFalse(slow.succeeded());
            } finally {
                engine.removeContainer(c.id());
            }
            engine.removeContainer(c.id()); // already gone: not an error
        } finally {
            engine.removeNetwork(network.id());
        }
        assertEquals(Optional.empty(), engine.network(network.id()));
        engine.removeNetwork(network.id());
    }

    @Test
    void refusedRequestsAreEngineExceptionsWithTheEnginesMessage() {
        EngineException e = assertThrows(EngineException.class, () -> engine.start(new ContainerSpec(BASE_IMAGE,
                "claude-devc-it-nonet-" + RUN, "claude-devc-it-no-such-network-" + RUN, List.of(), "",
                List.of("true"), List.of(), Map.of(), LABELS)));
        assertTrue(e.getMessage().startsWith("start container claude-devc-it-nonet-" + RUN + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    /**
     * A container whose environment carries loader and shell start-up variables (the image or the run set them):
     * a root exec of the product sees none of them, not even in its first process, and gets the fixed PATH.
     */
    @Test
    void rootExecsGetACleanEnvironment() {
        try (var container = new org.testcontainers.containers.GenericContainer<>(
                org.testcontainers.utility.DockerImageName.parse(BASE_IMAGE))
                .withEnv("LD_PRELOAD", "/nonexistent-preload.so")
                .withEnv("BASH_ENV", "/tmp/planted.sh")
                .withEnv("PATH", "/tmp/planted:/usr/bin:/bin")
                .withLabels(LABELS)
                .withCreateContainerCmdModifier(c -> c.withName("claude-devc-it-env-" + RUN))
                .withCommand("sh", "-c", "mkdir -p /tmp/planted && echo 'echo PLANTED-BASH-ENV' > /tmp/planted.sh"
                        + " && printf '#!/bin/sh\\necho PLANTED-CAT\\n' > /tmp/planted/cat"
                        + " && chmod +x /tmp/planted/cat && touch /tmp/ready && exec sleep infinity")
                .waitingFor(org.testcontainers.containers.wait.strategy.Wait.forSuccessfulCommand("test -e /tmp/ready"))) {
            container.start();
            // Without the cleaning, the exec inherits all three: ld.so complains about LD_PRELOAD in every process.
            ExecResult asUser = engine.exec(container.getContainerId(), "nobody", List.of("bash", "-c", "env"),
                    Duration.ofSeconds(20));
            assertTrue(asUser.output().contains("PLANTED-BASH-ENV"), asUser.output());
            for (String user : List.of("root", "0", "0:0")) {
                ExecResult r = engine.exec(container.getContainerId(), user,
                        List.of("bash", "-c", "env | sort; cat /etc/hostname >/dev/null && echo cat-ok"),
                        Duration.ofSeconds(20));
                assertEquals(0, r.exitCode(), r.output());
                assertEquals(List.of("LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "PWD=/", "SHLVL=1",
                        "_=/usr/bin/env", "cat-ok"), r.lines(), user + ": " + r.output());
            }
        }
    }
}
