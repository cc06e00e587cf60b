package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import dev.claudedevc.TestPaths;
import dev.claudedevc.testing.DockerRequired;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * {@code generate} → {@code build} → {@code verify} as a user runs them, through {@link Main#run}, against a real
 * engine: a descriptor whose base image is overridden to the local one, a must-allow target that is a local test
 * server ({@code allowed.test}) on an {@code --internal} dual-stack network the test creates, and a team template
 * that opens the firewall, which verify must catch. The image is built once and reused.
 */
class BuildVerifyIT {

    static final String BASE_IMAGE = System.getenv().getOrDefault("CLAUDE_DEVC_BASE_IMAGE", "local/debian:bookworm");
    /** Per run, so two checkouts testing on one engine never share an image tag or a container name. */
    static final String RUN = java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(3));
    static final String NAME = "claude-devc-it-verify-" + RUN;
    static final String OPEN_NAME = "claude-devc-it-open-" + RUN;
    static final String BARE_NAME = "claude-devc-it-bare-" + RUN;
    static final String TAG = "claude-devc/" + NAME + ":latest";

    /** The escape probes: everything verify must find blocked when the firewall works, and open when it does not. */
    static final List<String> ESCAPES = List.of("name", "direct-ipv4", "direct-ipv6", "dns-udp", "dns-tcp",
            "dns-ipv6", "dns-docker", "dot", "allowed-host-other-port", "ssh");
    static final List<String> PRIVILEGE = List.of("root-path", "sudo-args", "sudo-env", "policy-write", "script-write",
            "ipset-flush", "iptables-flush");

    /** The must-allow target: listens on 80, 443 and 8443 (the port verify tries for "another port"). */
    static final String ALLOWED_SERVER = """
            for p in 80 443 8443; do socat TCP6-LISTEN:$p,ipv6only=0,fork,reuseaddr /dev/null & done
            until (exec 3<>/dev/tcp/127.0.0.1/443 && exec 4<>/dev/tcp/127.0.0.1/8443) 2>/dev/null; do sleep 0.1; done
            echo "allowed.test ready"
            wait
            """;

    /** A team's "simplified" firewall: accepts everything and succeeds. */
    static final String OPEN_FIREWALL = """
            #!/bin/bash
            # A team override that turns the firewall into a no-op that claims success (as root at start, and
            # for `wait` and `status` as the user); verify must notice.
            set -eu
            if [ "$(id -u)" = 0 ]; then
              for t in iptables ip6tables; do "$t" -P OUTPUT ACCEPT; "$t" -F OUTPUT; done
            fi
            echo "claude-devc-firewall: everything allowed"
            """;

    @TempDir
    static Path work;

    static Path good;
    static Path open;
    static CliRun build;
    static long buildMillis;
    static Network network;
    static List<String> subnets;
    static GenericContainer<?> allowed;

    @BeforeAll
    static void generateBuildAndStartTheAllowedServer() throws IOException {
        DockerRequired.check();
        String ula = String.format("fd%02x:%04x:%04x:1::/64", (int) (Math.random() * 256),
                (int) (Math.random() * 65536), (int) (Math.random() * 65536));
        network = Network.builder().createNetworkCmdModifier(cmd -> cmd
                .withInternal(true)
                .withEnableIpv6(true)
                .withIpam(new com.github.dockerjava.api.model.Network.Ipam().withConfig(
                        new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(ula)))
                .withLabels(Map.of("dev.claudedevc.test", "BuildVerifyIT"))).build();
        // The test server lives on this private network: its subnets are what network.privateAnswers is for.
        subnets = docker().inspectNetworkCmd().withNetworkId(network.getId()).exec().getIpam().getConfig().stream()
                .map(com.github.dockerjava.api.model.Network.Ipam.Config::getSubnet).toList();
        good = project("good", NAME);
        open = project("open", OPEN_NAME);
        Path team = Files.createDirectories(work.resolve("team-templates"));
        Files.writeString(team.resolve("claude-devc-firewall.sh"), OPEN_FIREWALL);
        CliRun.of("generate", "-C", good.toString()).exits(0);
        CliRun.of("generate", "-C", open.toString(), "--templates", team.toString()).exits(0);

        long t0 = System.nanoTime();
        build = CliRun.of("build", "-C", good.toString(), "--base-image", BASE_IMAGE);
        buildMillis = (System.nanoTime() - t0) / 1_000_000;
        build.exits(0);

        allowed = new GenericContainer<>(DockerImageName.parse(TAG))
                .withNetwork(network)
                .withNetworkAliases("allowed.test")
                .withCreateContainerCmdModifier(cmd -> cmd.withUser("root").withEntrypoint("bash", "-c",
                        ALLOWED_SERVER))
                .waitingFor(Wait.forLogMessage(".*allowed.test ready.*", 1));
        allowed.start();
    }

    @AfterAll
    static void stopTheAllowedServer() {
        if (allowed != null) {
            allowed.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    static Path project(String dir, String name) throws IOException {
        Path project = Files.createDirectories(work.resolve(dir));
        Files.writeString(project.resolve("claude-devc.yaml"), """
                # The example a new user starts from: no Claude Code install (no registry here), one allowed host.
                name: %s
                image: debian:bookworm-slim
                user: dev
                claudeCode:
                  install: none
                network:
                  allowedDomains: ["allowed.test"]
                  privateAnswers: [%s]
                  verify:
                    allow: ["allowed.test:443"]
                """.formatted(name, String.join(", ", subnets)));
        return project;
    }

    @Test
    void buildPrintsOneLinePerStepTagsAndLabelsTheImage() throws Exception {
        List<String> steps = build.err().lines().filter(l -> l.startsWith("build: step ")).toList();
        Matcher total = Pattern.compile("^build: step 1/(\\d+): ARG CLAUDE_DEVC_BASE_IMAGE=").matcher(steps.get(0));
        assertTrue(total.find(), build.err());
        assertEquals(Integer.parseInt(total.group(1)), steps.size(), build.err());
        assertTrue(build.out().matches("built " + Pattern.quote(TAG) + " sha256:[0-9a-f]{64}\\n"), build.out());
        assertTrue(build.err().contains("(base image " + BASE_IMAGE + ")"), build.err());

        Map<String, String> labels = docker().inspectImageCmd(TAG).exec().getConfig().getLabels();
        assertEquals(NAME, labels.get("dev.claudedevc.project"));
        assertEquals(sha256(good.resolve("claude-devc.yaml")), labels.get("dev.claudedevc.descriptor-sha256"));
        assertEquals(Version.current(), labels.get("dev.claudedevc.version"));
        System.err.println("BuildVerifyIT: build took " + buildMillis + " ms");
    }

    @Test
    void verifyProvesTheGeneratedFirewallAndWritesJunit() throws Exception {
        Path junit = work.resolve("reports/verify.xml");
        CliRun run = CliRun.of("verify", "-C", good.toString(), "--network", network.getId(), "--junit",
                junit.toString());
        run.exits(0);
        Map<String, String> rows = rows(run.out());
        List<String> expected = new ArrayList<>(List.of("firewall", "status", "allow-1"));
        expected.addAll(ESCAPES);
        expected.addAll(PRIVILEGE);
        expected.add("inspect");
        for (String id : expected) {
            assertEquals("PASS", rows.get(id), id + " in\n" + run.out());
        }
        assertEquals(expected.size(), rows.size(), run.out());
        assertTrue(run.out().contains("Result: PASS (21 probes passed, 0 failed, 0 n/a)"), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("allowed allowed\\.test:443 +connects +connected +PASS")),
                run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("direct IPv6 \\[fd[0-9a-f:]+\\]:443 +blocked +refused +PASS")),
                run.out());
        assertTrue(run.err().contains("verify: joining network"), run.err());
        String xml = Files.readString(junit);
        assertTrue(xml.contains("tests=\"21\" failures=\"0\""), xml);
        assertNothingLeft(NAME);
    }

    @Test
    void onANetworkOfItsOwnVerifyNeedsNothingButTheImageAndCleansUp() throws Exception {
        // No must-allow target: nothing to reach on an --internal network, so the other-port probe is n/a.
        Path bare = Files.createDirectories(work.resolve("bare"));
        Files.writeString(bare.resolve("claude-devc.yaml"), """
                name: %s
                image: debian:bookworm-slim
                user: dev
                claudeCode:
                  install: none
                """.formatted(BARE_NAME));
        CliRun.of("generate", "-C", bare.toString()).exits(0);
        CliRun.of("build", "-C", bare.toString(), "--base-image", BASE_IMAGE, "-q").exits(0);
        CliRun run = CliRun.of("verify", "-C", bare.toString(), "--internal", "--json").exits(0);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals("pass", json.get("outcome").asText());
        assertTrue(json.get("network").get("internal").asBoolean());
        assertTrue(json.get("network").get("ipv6").asBoolean());
        assertTrue(json.get("network").get("name").asText().startsWith("claude-devc-verify-"));
        assertEquals(19, json.get("counts").get("passed").asInt(), run.out());
        List<String> notApplicable = StreamSupport.stream(json.get("probes").spliterator(), false)
                .filter(p -> p.get("result").asText().equals("n/a")).map(p -> p.get("id").asText()).toList();
        assertEquals(List.of("allowed-host-other-port"), notApplicable, run.out());
        assertTrue(run.err().contains("verify: created network claude-devc-verify-"), run.err());
        assertNothingLeft(BARE_NAME);
    }

    @Test
    void aTeamTemplateThatOpensTheFirewallFailsVerifyNamingEveryEscape() {
        CliRun quiet = CliRun.of("build", "-C", open.toString(), "--base-image", BASE_IMAGE, "-q").exits(0);
        assertEquals("", quiet.err());
        CliRun run = CliRun.of("verify", "-C", open.toString(), "--network", network.getId());
        run.exits(ExitCodes.VERIFICATION_FAILED);
        Map<String, String> rows = rows(run.out());
        assertEquals("PASS", rows.get("firewall"), run.out());
        assertEquals("PASS", rows.get("allow-1"), run.out());
        for (String id : ESCAPES) {
            assertEquals("FAIL", rows.get(id), id + " in\n" + run.out());
        }
        for (String id : PRIVILEGE) {
            assertEquals("PASS", rows.get(id), id + " in\n" + run.out());
        }
        assertTrue(run.out().lines().anyMatch(l -> l.matches("SSH [0-9.]+:22 +blocked +connected +FAIL")), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("foreign DNS over UDP @[0-9.]+ +no answer +answered [0-9.]+ +FAIL")),
                run.out());
        // inspect's own firewall check (the live status as root) catches the opened firewall too.
        assertEquals("FAIL", rows.get("inspect"), run.out());
        assertTrue(run.err().contains("claude-devc: " + (ESCAPES.size() + 1) + " probe(s) failed: "
                + String.join(", ", ESCAPES) + ", inspect"), run.err());
        assertNothingLeft(OPEN_NAME);
    }

    @Test
    void aBaseImageThatIsNotPresentLocallyIsNamedInsteadOfPulled() {
        CliRun run = CliRun.of("build", "-C", good.toString(), "--base-image", "claude-devc-it/not-here:none", "-q")
                .exits(ExitCodes.BUILD_FAILED);
        assertTrue(run.err().contains("claude-devc: base image claude-devc-it/not-here:none is not present locally "
                + "(build never pulls): pull it (docker pull claude-devc-it/not-here:none) or set --base-image IMAGE"),
                run.err());
    }

    @Test
    void verifyWithoutABuiltImageSaysToBuildFirstAndIsNoVerificationFailure() {
        CliRun run = CliRun.of("verify", "-C", good.toString(), "--image", "claude-devc-it/never-built:none")
                .exits(ExitCodes.NOT_READY);
        assertTrue(run.err().contains("claude-devc: no image claude-devc-it/never-built:none: run claude-devc build "
                + "first"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void aFailingDockerfileStepShowsTheStepAndItsLastOutput() throws IOException {
        Path broken = project("broken", "claude-devc-it-broken");
        Path team = Files.createDirectories(work.resolve("broken-templates"));
        Files.writeString(team.resolve("Dockerfile.mustache"), """
                ARG CLAUDE_DEVC_BASE_IMAGE={{image}}
                FROM ${CLAUDE_DEVC_BASE_IMAGE}
                RUN for i in $(seq 1 30); do echo "output line $i"; done; echo "E: the mirror is gone"; exit 3
                """);
        CliRun.of("generate", "-C", broken.toString(), "--templates", team.toString()).exits(0);
        CliRun run = CliRun.of("build", "-C", broken.toString(), "--base-image", BASE_IMAGE, "-q");
        run.exits(ExitCodes.BUILD_FAILED);
        List<String> err = run.err().lines().toList();
        int header = err.indexOf("build: step 3/6 failed; its last output:");
        assertTrue(header >= 0, run.err());
        assertEquals("  | output line 12", err.get(header + 1), run.err());
        assertEquals("  | E: the mirror is gone", err.get(header + 20), run.err());
        assertTrue(err.get(header + 21).startsWith("claude-devc: image build failed at step 3/6 (RUN for i in"),
                run.err());
        assertTrue(err.get(header + 21).endsWith("returned a non-zero code: 3"), run.err());
    }

    @Test
    void ctrlCRemovesTheContainersAndNetworkVerifyCreated() throws Exception {
        Path jar = TestPaths.projectRoot().resolve("target/claude-devc-all.jar");
        String classpath = Files.isRegularFile(jar) ? jar.toString() : System.getProperty("java.class.path");
        Process verify = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "dev.claudedevc.cli.Main", "verify", "-C", good.toString(), "--internal")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BlockingQueue<String> err = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(verify.getErrorStream(),
                StandardCharsets.UTF_8)).lines().forEach(err::add));
        reader.setDaemon(true);
        reader.start();
        try {
            String line;
            do {
                line = err.poll(90, TimeUnit.SECONDS);
                assertTrue(line != null, "verify never got to its probes");
            } while (!line.contains("verify: baseline"));
            assertFalse(containersOf(NAME).isEmpty(), "verify's containers run before the interrupt");
            new ProcessBuilder("kill", "-INT", Long.toString(verify.pid())).inheritIO().start().waitFor();
            assertTrue(verify.waitFor(60, TimeUnit.SECONDS), "verify ends on Ctrl-C");
        } finally {
            verify.destroyForcibly();
        }
        assertNothingLeft(NAME);
    }

    @Test
    void auditProposesWhatTheFirewallBlockedFromARunningContainer() throws Exception {
        try (GenericContainer<?> dev = new GenericContainer<>(DockerImageName.parse(TAG))
                .withNetwork(network)
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withEntrypoint("sleep", "infinity");
                    cmd.getHostConfig().withCapAdd(com.github.dockerjava.api.model.Capability.NET_ADMIN,
                            com.github.dockerjava.api.model.Capability.NET_RAW);
                })) {
            dev.start();
            var applied = dev.execInContainer("sudo", "/usr/local/sbin/claude-devc-firewall");
            assertEquals(0, applied.getExitCode(), applied.getStderr());
            // As the agent: a name outside the allowlist, and an allowed host on a port it is not allowed.
            assertTrue(dev.execInContainer("getent", "hosts", "unlisted.test").getExitCode() != 0);
            assertTrue(dev.execInContainer("curl", "-sS", "--max-time", "5", "http://allowed.test:8443/")
                    .getExitCode() != 0);

            CliRun run = CliRun.of("audit", "-C", good.toString(), "--container", dev.getContainerId()).exits(0);
            assertTrue(run.out().lines().anyMatch(l -> l.matches("unlisted\\.test +\\d+ +name not allowed: .*")),
                    run.out());
            assertTrue(run.out().lines().anyMatch(l -> l.matches(
                    "allowed\\.test:8443 +\\d+ +allowed name on a port it is not allowed: .*")), run.out());
            assertTrue(run.out().contains("  allowedDomains:\n    - \"unlisted.test\"\n"), run.out());
            assertFalse(run.out().lines().anyMatch(l -> l.startsWith("allowed.test ")), "allowed names are not proposed");
        }
    }

    /** Probe id → PASS/FAIL/n/a, read from the table (the id is not shown: rows are matched by name). */
    static Map<String, String> rows(String table) {
        Map<String, String> byName = new java.util.LinkedHashMap<>();
        Map<String, Pattern> names = new java.util.LinkedHashMap<>();
        names.put("firewall", Pattern.compile("^firewall applied at start \\("));
        names.put("status", Pattern.compile("^in force now \\("));
        names.put("allow-1", Pattern.compile("^allowed allowed\\.test:443 "));
        names.put("name", Pattern.compile("^non-allowlisted name "));
        names.put("direct-ipv4", Pattern.compile("^direct IPv4 "));
        names.put("direct-ipv6", Pattern.compile("^direct IPv6 "));
        names.put("dns-udp", Pattern.compile("^foreign DNS over UDP "));
        names.put("dns-tcp", Pattern.compile("^foreign DNS over TCP "));
        names.put("dns-ipv6", Pattern.compile("^foreign DNS over IPv6 "));
        names.put("dns-docker", Pattern.compile("^Docker DNS 127\\.0\\.0\\.11 "));
        names.put("dot", Pattern.compile("^DNS over TLS "));
        names.put("allowed-host-other-port", Pattern.compile("^allowed host on another port "));
        names.put("ssh", Pattern.compile("^SSH "));
        names.put("root-path", Pattern.compile("^write a folder on root's PATH "));
        names.put("sudo-args", Pattern.compile("^sudo firewall with an argument "));
        names.put("sudo-env", Pattern.compile("^sudo firewall with an environment variable "));
        names.put("policy-write", Pattern.compile("^write /etc/claude-devc/policy\\.conf "));
        names.put("script-write", Pattern.compile("^write /usr/local/sbin/claude-devc-firewall "));
        names.put("ipset-flush", Pattern.compile("^ipset flush as the user "));
        names.put("iptables-flush", Pattern.compile("^iptables -F as the user "));
        names.put("inspect", Pattern.compile("^nothing reachable besides the network \\(inspect\\) "));
        for (String line : table.lines().toList()) {
            if (line.isBlank() || line.startsWith("Result:")) {
                break;
            }
            names.forEach((id, p) -> {
                if (p.matcher(line).find()) {
                    byName.put(id, line.substring(line.lastIndexOf(' ') + 1));
                }
            });
        }
        return byName;
    }

    /** verify removed the containers and networks it created (labelled with its run id) for this project. */
    static void assertNothingLeft(String project) {
        assertEquals(List.of(), containersOf(project), "verify left containers of " + project);
        assertFalse(docker().listNetworksCmd().exec().stream()
                .anyMatch(n -> n.getLabels() != null && n.getLabels().containsKey("dev.claudedevc.verify")
                        && project.equals(n.getLabels().get("dev.claudedevc.project"))),
                "verify left a network of " + project);
    }

    static List<String> containersOf(String project) {
        return docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of("dev.claudedevc.verify")).exec().stream()
                .filter(c -> project.equals(c.getLabels().get("dev.claudedevc.project")))
                .map(c -> List.of(c.getNames()).toString()).toList();
    }

    static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
