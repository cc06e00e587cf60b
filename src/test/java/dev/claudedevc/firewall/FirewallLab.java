package dev.claudedevc.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Network;
import dev.claudedevc.cli.CliRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * The test bed of the firewall integration tests, shared by every test class in the JVM: a dual-stack
 * {@code --internal} Docker network with fixed subnets, test servers with fixed addresses and {@code .test} names,
 * and the devcontainer images that {@code claude-devc generate} renders from test descriptors.
 *
 * <p>Servers live in {@code x.y.1.0/24}, devcontainers in {@code x.y.2.0/24} (beside a neighbour server). Traffic
 * goes only to containers created here. Everything created carries {@link #LABEL} and the creating process's id;
 * what an earlier, dead test run left behind is removed first ("Pool overlaps" otherwise), and another live run's
 * resources are left alone (its subnet is skipped).
 */
final class FirewallLab {

    static final String LABEL = "dev.claudedevc.test";
    static final String LABEL_VALUE = "firewall-it";
    static final String OWNER_LABEL = "dev.claudedevc.test.owner";
    static final String BASE_IMAGE = "local/debian:bookworm";
    /** Per run, so two checkouts testing on one engine never build over each other's image tags. */
    static final String RUN = java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(3));

    /** A test server: its name (also what it answers), address in the lab's /16, DNS aliases. */
    enum Server {
        ALLOWED("allowed", "1.10", "allowed.test", "alias.test"),
        /** Not on any allowlist; also a foreign resolver (answers every name with its own address) and DoT port. */
        BLOCKED("blocked", "1.20", "blocked.test"),
        WILD("wild", "1.30", "api.wild.test", "wild.test", "bad.wild.test", "sub.allowed.test"),
        LITERAL("literal", "1.40"),
        PORTED("ported", "1.50", "ported.test"),
        /** The devcontainers' upstream behind Docker's embedded DNS ({@code --dns}); the test changes its answers. */
        UPSTREAM("upstream", "1.54"),
        /** A plain upstream resolver (written into resolv.conf directly); the faults test stops it. */
        UPSTREAM2("upstream2", "1.55"),
        ROTATION_A("rot-a", "1.60"),
        ROTATION_B("rot-b", "1.61"),
        CDN("cdn", "1.62"),
        /** Answers a line only after the client sent one (port 80): a connection that stays open (FirewallLongLifeIT). */
        SLOW("slow", "1.63", "slow.wild.test"),
        /** Stands in for the Docker host: {@code host.docker.internal} points here. */
        GATEWAY("gateway", "1.70"),
        NEIGHBOUR("neighbour", "2.20");

        final String id;
        final String address;
        final List<String> aliases;

        Server(String id, String address, String... aliases) {
            this.id = id;
            this.address = address;
            this.aliases = List.of(aliases);
        }
    }

    /** The generated devcontainer images the tests use. */
    enum Variant {
        ENFORCE("enforce", "filter"),
        AUDIT("audit", "filter"),
        IPV6_BLOCK("enforce", "block");

        final String mode;
        final String ipv6;

        Variant(String mode, String ipv6) {
            this.mode = mode;
            this.ipv6 = ipv6;
        }
    }

    /** Addresses in the lab's networks: {@code 172.<octet>.0.0/16} and {@code fd00:cd0:<octet>::/64}. */
    record Addresses(int octet) {
        String v4Subnet() {
            return "172." + octet + ".0.0/16";
        }

        String v6Subnet() {
            return "fd00:cd0:" + octet + "::/64";
        }

        /** The servers' /24 ({@code 172.<octet>.1.0/24}); devcontainers and the neighbour are outside it. */
        String serversV4() {
            return "172." + octet + ".1.0/24";
        }

        /** The servers' IPv6 range ({@code fd00:cd0:<octet>::1:0/112}). */
        String serversV6() {
            return "fd00:cd0:" + octet + "::1:0/112";
        }

        /** {@code "1.10"} is {@code 172.<octet>.1.10}. */
        String v4(String host) {
            return "172." + octet + "." + host;
        }

        /** {@code "1.10"} is {@code fd00:cd0:<octet>::1:10}. */
        String v6(String host) {
            return "fd00:cd0:" + octet + "::" + host.replace('.', ':');
        }

        String v4(Server server) {
            return v4(server.address);
        }

        String v6(Server server) {
            return v6(server.address);
        }
    }

    private static final int[] OCTETS = {30, 29, 28, 27, 26, 25, 24, 23};
    private static final String OWNER = String.valueOf(ProcessHandle.current().pid());
    private static FirewallLab shared;

    private final DockerClient docker = DockerClientFactory.instance().client();
    private final Map<Server, GenericContainer<?>> servers = new EnumMap<>(Server.class);
    private final Map<Variant, String> images = new EnumMap<>(Variant.class);
    private final Map<Variant, Path> folders = new EnumMap<>(Variant.class);
    private final AtomicInteger nextClient = new AtomicInteger(10);
    private final List<DevContainer> devContainers = new ArrayList<>();
    private Addresses addresses;
    private String networkName;
    private String networkId;

    private FirewallLab() {
    }

    /** The lab, started on first use and torn down when the JVM exits. Fails (CI) or skips without Docker. */
    static synchronized FirewallLab shared() {
        requireDocker();
        if (shared == null) {
            FirewallLab lab = new FirewallLab();
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "firewall-lab-cleanup"));
            lab.start();
            shared = lab;
        }
        return shared;
    }

    /** Without Docker these tests fail when {@code CI=true} and are skipped (with the reason) otherwise. */
    static void requireDocker() {
        if (DockerClientFactory.instance().isDockerAvailable()) {
            return;
        }
        String reason = "no Docker engine is reachable (run .ci/provision); the firewall integration tests need one";
        if ("true".equals(System.getenv("CI"))) {
            fail(reason + " and CI=true");
        }
        // Reports show a class aborted in @BeforeAll as "0 tests": say why on the console too.
        System.err.println("firewall-lab: SKIPPED: " + reason);
        Assumptions.abort(reason);
    }

    Addresses addresses() {
        return addresses;
    }

    String v4(Server server) {
        return addresses.v4(server);
    }

    String v6(Server server) {
        return addresses.v6(server);
    }

    private void start() {
        long t0 = System.nanoTime();
        removeLeftovers();
        createNetwork();
        buildServerImage();
        log("network " + networkName + " and images ready", t0);
        long t1 = System.nanoTime();
        startServers();
        log(Server.values().length + " test servers started", t1);
    }

    /** Progress on stderr, so a slow run shows where its time went. */
    static void log(String what, long sinceNanos) {
        System.err.printf("firewall-lab: %s in %d ms%n", what, (System.nanoTime() - sinceNanos) / 1_000_000);
    }

    // ------------------------------------------------------------------------------------------------ cleanup

    private void removeLeftovers() {
        for (var c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, LABEL_VALUE)).exec()) {
            if (!ownerAlive(c.getLabels())) {
                quietly(() -> docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec());
            }
        }
        for (Network n : docker.listNetworksCmd().withFilter("label", List.of(LABEL + "=" + LABEL_VALUE)).exec()) {
            if (!ownerAlive(n.getLabels())) {
                quietly(() -> docker.removeNetworkCmd(n.getId()).exec());
            }
        }
    }

    private static boolean ownerAlive(Map<String, String> labels) {
        String owner = labels == null ? null : labels.get(OWNER_LABEL);
        if (owner == null || !owner.matches("[0-9]{1,10}")) {
            return false;
        }
        return ProcessHandle.of(Long.parseLong(owner)).map(ProcessHandle::isAlive).orElse(false);
    }

    synchronized void close() {
        for (DevContainer dev : List.copyOf(devContainers)) {
            quietly(dev::close);
        }
        servers.values().forEach(s -> quietly(s::stop));
        servers.clear();
        if (networkId != null) {
            quietly(() -> docker.removeNetworkCmd(networkId).exec());
            networkId = null;
        }
    }

    private static void quietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            // cleanup is best effort; the next run removes what is left by label
        }
    }

    // ------------------------------------------------------------------------------------------------ network

    /** Tries the candidate subnets in turn: another run, or another project, may hold one. */
    private void createNetwork() {
        DockerException last = null;
        for (int octet : OCTETS) {
            Addresses candidate = new Addresses(octet);
            String name = "claude-devc-fwit-" + OWNER + "-" + octet;
            try {
                networkId = docker.createNetworkCmd()
                        .withName(name)
                        .withDriver("bridge")
                        .withInternal(true)
                        .withEnableIpv6(true)
                        .withIpam(new Network.Ipam().withConfig(
                                new Network.Ipam.Config().withSubnet(candidate.v4Subnet()),
                                new Network.Ipam.Config().withSubnet(candidate.v6Subnet())))
                        .withLabels(labels())
                        .exec()
                        .getId();
                networkName = name;
                addresses = candidate;
                return;
            } catch (DockerException e) {
                last = e;
            }
        }
        throw new IllegalStateException("cannot create the test network on any candidate subnet", last);
    }

    private static Map<String, String> labels() {
        return Map.of(LABEL, LABEL_VALUE, OWNER_LABEL, OWNER);
    }

    // ------------------------------------------------------------------------------------------------ servers

    private static final String SERVER_IMAGE = "claude-devc-fwit/server:latest";

    /** The servers run on the generated enforce image (it has socat and dnsmasq) plus a small serve script. */
    private void buildServerImage() {
        new ImageFromDockerfile(SERVER_IMAGE, false)
                .withFileFromClasspath("Dockerfile", "dev/claudedevc/firewall/server/Dockerfile")
                .withFileFromClasspath("serve.sh", "dev/claudedevc/firewall/server/serve.sh")
                .withBuildArg("BASE_IMAGE", image(Variant.ENFORCE))
                .get();
    }

    private List<String> serverCommand(Server server) {
        if (server == Server.SLOW) {
            return List.of("socat", "TCP6-LISTEN:80,ipv6only=0,fork,reuseaddr", "SYSTEM:read -r line; echo slow \"$line\"");
        }
        List<String> command = new ArrayList<>(List.of("serve", server.id));
        switch (server) {
            case BLOCKED -> command.add("--address=/#/" + v4(Server.BLOCKED));
            case UPSTREAM -> command.addAll(List.of("--local=/test/", "--cname=cname.test,edge.cdn.test"));
            case UPSTREAM2 -> command.add("--local=/test/");
            default -> {
            }
        }
        return command;
    }

    /** What a resolver server answers when the lab starts ({@link #setHosts} changes it). */
    String upstreamHosts(Server server) {
        return switch (server) {
            case UPSTREAM -> v4(Server.ROTATION_A) + " rot.test\n" + v4(Server.CDN) + " edge.cdn.test\n"
                    // Allowed wildcard names answering internal addresses (FirewallPrivateAnswersIT).
                    + v4(Server.NEIGHBOUR) + " neighbour.wild.test\n" + v6(Server.NEIGHBOUR) + " neighbour.wild.test\n"
                    + "169.254.169.254 metadata.wild.test\n"
                    + v4(Server.ROTATION_B) + " mirror.wild.test\n" + v6(Server.ROTATION_B) + " mirror.wild.test\n";
            case UPSTREAM2 -> v4(Server.ALLOWED) + " allowed.test\n";
            default -> "";
        };
    }

    private void startServers() {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (Server server : Server.values()) {
                GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(SERVER_IMAGE))
                        .withCommand(serverCommand(server).toArray(String[]::new))
                        .withLabels(labels())
                        .withCreateContainerCmdModifier(cmd -> {
                            cmd.withName("claude-devc-fwit-" + OWNER + "-" + server.id);
                            cmd.getHostConfig().withNetworkMode(networkName);
                            cmd.withIpv4Address(v4(server)).withIpv6Address(v6(server));
                            cmd.withAliases(server.aliases);
                        });
                servers.put(server, container);
                started.add(pool.submit(() -> {
                    container.start();
                    String hosts = upstreamHosts(server);
                    if (!hosts.isEmpty()) {
                        setHosts(server, hosts);
                    }
                }));
            }
            for (Future<?> f : started) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test servers", e);
        } finally {
            pool.shutdown();
        }
    }

    /** Replaces a resolver server's answers ({@code /etc/hosts} format) and makes it re-read them. */
    void setHosts(Server server, String hosts) {
        exec(server, "printf '%s' \"$1\" > /etc/test-hosts && kill -HUP 1", hosts);
    }

    DevContainer.Exec exec(Server server, String script, String... args) {
        return DevContainer.exec(servers.get(server), "root", script, args);
    }

    /** Kills a server (its address stays reserved); {@link #startAgain} brings it back. */
    void kill(Server server) {
        docker.killContainerCmd(servers.get(server).getContainerId()).exec();
    }

    void startAgain(Server server) {
        docker.startContainerCmd(servers.get(server).getContainerId()).exec();
    }

    // ------------------------------------------------------------------------------------------------ devcontainers

    /** The descriptor of a variant: names and literals of the lab's servers, self-test targets. */
    String descriptor(Variant variant) {
        String extraDeny = variant == Variant.IPV6_BLOCK ? ", \"[" + v6(Server.ALLOWED) + "]:443\"" : "";
        return """
                # firewall integration test (%s)
                name: fw-it
                image: %s
                user: dev
                claudeCode: {install: none}
                network:
                  mode: %s
                  ipv6: %s
                  presets: []
                  allowedDomains:
                    - allowed.test
                    - alias.test          # the same address as allowed.test
                    - gone.test           # resolves nowhere
                    - rot.test            # the test changes its answer
                    - cname.test          # a CNAME to edge.cdn.test
                    - "*.wild.test"
                    - "ported.test:8443"
                    - "%s"
                    - "[%s]:443"
                  deniedDomains: [bad.wild.test]
                  allowedCidrs: []
                  privateAnswers: ["%s", "%s"]   # the servers' /24 (not the devcontainers' and neighbour's)
                  hostAccess: {ports: [8443]}
                  verify:
                    allow: ["allowed.test:443", "ported.test:8443"]
                    deny: ["blocked.test:443", "%s:443", "[%s]:443", "allowed.test:22"%s]
                """.formatted(variant, BASE_IMAGE, variant.mode, variant.ipv6, v4(Server.LITERAL), v6(Server.LITERAL),
                addresses.serversV4(), addresses.serversV6(), v4(Server.BLOCKED), v6(Server.BLOCKED), extraDeny);
    }

    /** Renders the variant's descriptor with {@code claude-devc generate} and builds the generated folder. */
    synchronized String image(Variant variant) {
        return images.computeIfAbsent(variant, v -> {
            try {
                Path project = Files.createTempDirectory("claude-devc-fwit-" + v.name().toLowerCase() + "-");
                Files.writeString(project.resolve("claude-devc.yaml"), descriptor(v));
                CliRun.of("generate", "-C", project.toString()).exits(0);
                Path folder = project.resolve(".devcontainer");
                folders.put(v, folder);
                for (String file : List.of("Dockerfile", "claude-devc-firewall.sh", "claude-devc-policy.conf")) {
                    assertEquals(true, Files.isRegularFile(folder.resolve(file)), "generated " + file);
                }
                String tag = "claude-devc-fwit/dev-" + v.name().toLowerCase().replace('_', '-') + ":" + RUN;
                long t0 = System.nanoTime();
                String built = new ImageFromDockerfile(tag, false).withFileFromPath(".", folder).get();
                log("generated and built " + tag, t0);
                return built;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Builds the variant's generated folder with one file replaced (a fault baked into the image), tagged
     * {@code claude-devc-fwit/dev-<variant>-<tagSuffix>}.
     */
    synchronized String imageWith(Variant variant, String file, String content, String tagSuffix) {
        image(variant);
        try {
            Path copy = Files.createTempDirectory("claude-devc-fwit-" + tagSuffix + "-");
            try (var files = Files.list(folders.get(variant))) {
                for (Path f : files.toList()) {
                    Files.copy(f, copy.resolve(f.getFileName()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            Files.writeString(copy.resolve(file), content);
            String tag = "claude-devc-fwit/dev-" + variant.name().toLowerCase().replace('_', '-') + "-" + tagSuffix
                    + ":" + RUN;
            return new ImageFromDockerfile(tag, false).withFileFromPath(".", copy).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project folder the variant was generated in (its descriptor and {@code .devcontainer/}). */
    synchronized Path project(Variant variant) {
        image(variant);
        return folders.get(variant).getParent();
    }

    /** A file {@code claude-devc generate} wrote into the variant's {@code .devcontainer/} (the image is built first). */
    synchronized String generatedFile(Variant variant, String name) {
        image(variant);
        try {
            return Files.readString(folders.get(variant).resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a devcontainer of the variant as {@code devcontainer up} would (the image's user, NET_ADMIN and
     * NET_RAW), on the lab network in the devcontainers' /24, with Docker's embedded DNS forwarding to
     * {@link Server#UPSTREAM} and {@code host.docker.internal} pointing at {@link Server#GATEWAY}.
     */
    synchronized DevContainer start(Variant variant) {
        return start(image(variant), false, true, List.of());
    }

    /** As {@link #start(Variant)}, with Docker security options (e.g. {@code seccomp=<profile JSON>}). */
    synchronized DevContainer start(Variant variant, List<String> securityOpts) {
        return start(image(variant), false, true, securityOpts);
    }

    /**
     * Starts an image as a plain {@code docker run} would: its own ENTRYPOINT and CMD (which apply the firewall),
     * with NET_ADMIN and NET_RAW unless {@code capabilities} is false; otherwise as {@link #start(Variant)}.
     */
    synchronized DevContainer run(String image, boolean capabilities) {
        return start(image, true, capabilities, List.of());
    }

    /** Starts another image (a variant with a fault or a changed policy baked in) as {@link #start(Variant)} does. */
    synchronized DevContainer start(String image) {
        return start(image, false, true, List.of());
    }

    private DevContainer start(String image, boolean imageEntrypoint, boolean capabilities,
            List<String> securityOpts) {
        // Docker 20.10 now and then refuses a fixed address it has just released ("Address already in use"):
        // that says nothing about the firewall, so the container gets the next address instead.
        for (int attempt = 1; ; attempt++) {
            String host = "2." + nextClient.getAndIncrement();
            GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                    .withLabels(labels())
                    .withExtraHost("host.docker.internal", v4(Server.GATEWAY))
                    .withStartupAttempts(1)
                    .withCreateContainerCmdModifier(cmd -> {
                        // The lab applies the firewall itself, when a test says so (some set up a fault first):
                        // the image's entrypoint, which applies it at every start, is replaced. FirewallStartIT
                        // proves that start path.
                        if (!imageEntrypoint) {
                            cmd.withEntrypoint("sleep", "infinity").withCmd(List.of());
                        }
                        cmd.withName("claude-devc-fwit-" + OWNER + "-dev-" + host.replace('.', '-'));
                        cmd.getHostConfig()
                                .withNetworkMode(networkName)
                                .withDns(v4(Server.UPSTREAM));
                        if (capabilities) {
                            cmd.getHostConfig().withCapAdd(Capability.NET_ADMIN, Capability.NET_RAW);
                        }
                        if (!securityOpts.isEmpty()) {
                            cmd.getHostConfig().withSecurityOpts(securityOpts);
                        }
                        cmd.withIpv4Address(addresses.v4(host)).withIpv6Address(addresses.v6(host));
                    });
            try {
                container.start();
            } catch (RuntimeException e) {
                container.stop();
                if (attempt < 3 && addressInUse(e)) {
                    log("address of " + host + " still in use, taking the next one", System.nanoTime());
                    continue;
                }
                throw e;
            }
            DevContainer dev = new DevContainer(this, container);
            devContainers.add(dev);
            return dev;
        }
    }

    private static boolean addressInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    synchronized void forget(DevContainer dev) {
        devContainers.remove(dev);
    }

    DockerClient docker() {
        return docker;
    }
}
