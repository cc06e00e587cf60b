package dev.claudedevc.verify;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.docker.ContainerInfo;
import dev.claudedevc.docker.ContainerSpec;
import dev.claudedevc.docker.DockerEngine;
import dev.claudedevc.docker.EngineException;
import dev.claudedevc.docker.ExecResult;
import dev.claudedevc.docker.ImageInfo;
import dev.claudedevc.docker.NetworkInfo;
import dev.claudedevc.docker.NetworkSpec;
import dev.claudedevc.inspect.Inspector;
import dev.claudedevc.model.ImageLayout;
import dev.claudedevc.model.ProtectedPaths;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a verification: a network (its own, or one it is told to join), a sidecar from the same image listening on
 * {@link ProbeMatrix#SIDECAR_PORTS} and answering DNS, the image started as a dev container starts it, the
 * baseline (deny probes without the firewall must get through), the firewall, the probes. Containers and the network
 * it created are removed afterwards, and by a shutdown hook when the JVM is interrupted (Ctrl-C).
 */
public final class Verifier {

    /** Label on everything verify creates; its value is the run's id. */
    public static final String RUN_LABEL = "dev.claudedevc.verify";
    public static final String PROJECT_LABEL = "dev.claudedevc.project";

    static final Duration FIREWALL_TIMEOUT = Duration.ofMinutes(3);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    /** Probes run side by side: each is mostly waiting on the engine. */
    static final int PARALLEL = 4;

    /** Starts the sidecar's listeners; addresses come in as arguments, never spliced into the script. */
    private static final String SIDECAR_SERVICES = """
            s4=$1 s6=$2
            for p in %s; do
              socat TCP4-LISTEN:$p,fork,reuseaddr /dev/null &
              if [ -n "$s6" ]; then socat TCP6-LISTEN:$p,ipv6only=1,fork,reuseaddr /dev/null & fi
            done
            if [ -n "$s6" ]; then
              dnsmasq --keep-in-foreground --no-resolv --no-hosts --no-poll --user=root \
                --address=/#/"$s4" --address=/#/"$s6" &
            else
              dnsmasq --keep-in-foreground --no-resolv --no-hosts --no-poll --user=root --address=/#/"$s4" &
            fi
            wait
            """.formatted(String.join(" ", ProbeMatrix.SIDECAR_PORTS.stream().map(String::valueOf).toList()));

    /** Waits until every listener answers locally (5 s at most). */
    private static final String SIDECAR_READY = """
            for i in $(seq 1 50); do
              ok=1
              for p in %s; do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || ok=0; done
              dig +time=1 +tries=1 +short @127.0.0.1 ready.test A | grep -q . || ok=0
              [ "$ok" = 1 ] && exit 0
              sleep 0.1
            done
            echo "listeners not ready"; exit 1
            """.formatted(String.join(" ", ProbeMatrix.SIDECAR_PORTS.stream().map(String::valueOf).toList()));

    private final DockerEngine engine;
    private final Consumer<String> progress;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param engine   the engine to run on
     * @param progress receives one line per phase (for stderr)
     */
    public Verifier(DockerEngine engine, Consumer<String> progress) {
        this.engine = engine;
        this.progress = progress;
    }

    /**
     * Runs the verification.
     *
     * @throws ClaudeDevcException {@code NOT_READY} when there is no such image; {@code VERIFICATION_FAILED} when
     *                             it could not be set up (a network that cannot be created); probe failures are in
     *                             the report, not thrown
     */
    public VerifyReport run(VerifyRequest request) {
        long started = System.nanoTime();
        ImageInfo image = engine.image(request.image()).orElseThrow(() -> new ClaudeDevcException(
                ClaudeDevcException.Kind.NOT_READY, "no image " + request.image() + ": run claude-devc build first"));
        String runId = hex(6);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(RUN_LABEL, runId);
        labels.put(PROJECT_LABEL, request.project());
        Resources resources = new Resources(engine);
        Thread hook = new Thread(resources::removeAll, "claude-devc-verify-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean keep = false;
        ExecutorService starter = Executors.newFixedThreadPool(2, Verifier::daemon);
        try {
            NetworkInfo network = network(request, runId, labels, resources);
            Optional<String> escapeName = ProbeMatrix.escapeName(request.policy(), runId);
            String base = "claude-devc-verify-" + runId;

            // The image under test starts while the sidecar is being set up: they do not depend on each other.
            progress.accept("starting " + request.image() + " as " + request.user() + " with "
                    + (request.run().capAdd().isEmpty() ? "no added capabilities"
                            : "--cap-add " + String.join(",", request.run().capAdd()))
                    + " (from " + request.run().source() + "), and a sidecar listening on "
                    + ProbeMatrix.SIDECAR_PORTS + " and DNS 53");
            // The subject starts as a dev container starts: the image's entrypoint applies the firewall (unless
            // devcontainer.json overrides it, as the tooling then would). The baseline container is the same image
            // with the entrypoint replaced, so nothing applies the firewall there.
            boolean entrypoint = request.run().imageEntrypoint();
            ContainerSpec subjectSpec = new ContainerSpec(image.id(), base, network.name(), List.of(), request.user(),
                    entrypoint ? List.of() : List.of("sleep", "infinity"), request.run().capAdd(),
                    request.run().sysctls(), labels, entrypoint);
            ContainerSpec baselineSpec = new ContainerSpec(image.id(), base + "-baseline", network.name(), List.of(),
                    request.user(), List.of("sleep", "infinity"), List.of(), request.run().sysctls(), labels);
            Future<ContainerInfo> subjectStart = starter.submit(() -> resources.container(engine.start(subjectSpec)));
            Future<ContainerInfo> baselineStart = starter.submit(
                    () -> resources.container(engine.start(baselineSpec)));
            ContainerInfo sidecar = resources.container(engine.start(new ContainerSpec(image.id(), base + "-sidecar",
                    network.name(), escapeName.map(List::of).orElse(List.of()), "root",
                    List.of("sleep", "infinity"), List.of(), Map.of(), labels)));
            String s4 = sidecar.ipv4().orElseThrow(() -> setupFailure("the sidecar got no IPv4 address on "
                    + network.name(), null));
            engine.execDetached(sidecar.id(), "root", List.of("sh", "-c", SIDECAR_SERVICES, "sidecar", s4,
                    sidecar.ipv6().orElse("")));
            ExecResult ready = engine.exec(sidecar.id(), "root", List.of("bash", "-c", SIDECAR_READY),
                    Duration.ofSeconds(20));
            if (!ready.succeeded()) {
                throw setupFailure("the sidecar's listeners did not start (the image needs socat, dnsmasq and "
                        + "dig): " + Check.clip(ready.lastLine()), null);
            }
            ContainerInfo subject = await(subjectStart);
            ContainerInfo baseline = await(baselineStart);

            List<Probe> probes = ProbeMatrix.build(new ProbeMatrix.Input(request.policy(),
                    request.run().firewallCommand(), s4, sidecar.ipv6(), escapeName,
                    "claude-devc-exfil-" + runId + ".test", request.registries()));
            List<ProbeResult> results = new ArrayList<>(probe(subject, baseline, request.user(), probes, entrypoint));
            results.add(boundary(subject));
            request.live().ifPresent(live -> results.addAll(live(live, request)));
            keep = request.keep();
            if (keep) {
                progress.accept("kept for inspection: containers " + subject.name() + ", " + sidecar.name()
                        + (resources.network == null ? "" : ", network " + network.name()) + "; look inside with "
                        + "docker exec -it " + subject.name() + " bash; remove with docker rm -f " + subject.name()
                        + " " + sidecar.name()
                        + (resources.network == null ? "" : " && docker network rm " + network.name()));
            }
            return new VerifyReport(request.image(), image.id(), network.name(), network.internal(), network.ipv6()
                    && sidecar.ipv6().isPresent(), results, Duration.ofNanos(System.nanoTime() - started));
        } catch (EngineException e) {
            throw setupFailure(e.getMessage(), e);
        } finally {
            starter.shutdown();
            try {
                starter.awaitTermination(2, TimeUnit.MINUTES); // a container still starting must be registered first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!keep) {
                resources.removeAll();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running or has run
            }
        }
    }

    /**
     * In the running dev container itself: the firewall is in force now (the live {@code status}), and every
     * registry resolves and connects through it. Nothing is started there and nothing is changed.
     */
    private List<ProbeResult> live(String containerId, VerifyRequest request) {
        progress.accept("running dev container " + containerId + ": status and " + request.registries().size()
                + " registry probe(s) as " + request.user());
        List<Probe> probes = new ArrayList<>();
        probes.add(new Probe("live-status", "running: in force now (" + ProbeMatrix.display(ImageLayout.STATUS_COMMAND)
                + ")", Check.FIREWALL, true, ImageLayout.STATUS_COMMAND, false, Optional.empty()));
        probes.addAll(ProbeMatrix.registries(request.registries(), "live-"));
        ContainerInfo running = new ContainerInfo(containerId, containerId, Optional.empty(), Optional.empty());
        return inParallel(probes, probe -> run(running, request.user(), probe));
    }

    private NetworkInfo network(VerifyRequest request, String runId, Map<String, String> labels,
            Resources resources) {
        if (request.existingNetwork().isPresent()) {
            String name = request.existingNetwork().get();
            NetworkInfo network = engine.network(name).orElseThrow(() -> setupFailure("no network " + name, null));
            progress.accept("joining network " + network.name() + (network.internal() ? " (internal)" : "")
                    + (network.ipv6() ? ", dual-stack" : ", IPv4 only"));
            return network;
        }
        String name = "claude-devc-verify-" + runId;
        String ipv6Subnet = ula();
        NetworkInfo network;
        try {
            network = engine.createNetwork(new NetworkSpec(name, request.internal(), Optional.of(ipv6Subnet), labels));
        } catch (EngineException e) {
            progress.accept("no IPv6 on this engine (" + e.getMessage() + "); the IPv6 probes will be n/a");
            network = engine.createNetwork(new NetworkSpec(name, request.internal(), Optional.empty(), labels));
        }
        resources.network = network;
        progress.accept("created network " + name + (request.internal() ? " (internal)" : " (bridge)")
                + (network.ipv6() ? ", dual-stack with " + ipv6Subnet : ", IPv4 only"));
        return network;
    }

    /**
     * The baseline (in the container without the firewall), then the firewall, then the network probes (independent of each other, so run side by side),
     * then the privilege probes in order (the last ones could open the firewall if they succeeded).
     */
    private List<ProbeResult> probe(ContainerInfo subject, ContainerInfo unfirewalled, String user,
            List<Probe> probes, boolean entrypoint) {
        List<Probe> runnable = probes.stream().filter(p -> p.notApplicable().isEmpty()).toList();
        progress.accept("baseline: checking that the escape targets answer before the firewall is applied");
        List<Probe> withBaseline = runnable.stream().filter(Probe::baseline).toList();
        List<Observation> before = inParallel(withBaseline,
                probe -> probe.check().observe(engine.exec(unfirewalled.id(), user, probe.command(), PROBE_TIMEOUT)));
        Map<String, Observation> baseline = new LinkedHashMap<>();
        for (int i = 0; i < withBaseline.size(); i++) {
            baseline.put(withBaseline.get(i).id(), before.get(i));
        }

        Map<String, ProbeResult> results = new LinkedHashMap<>();
        for (Probe probe : probes) {
            if (probe.notApplicable().isPresent()) {
                results.put(probe.id(), ProbeResult.skipped(probe));
            } else if (baseline.containsKey(probe.id()) && !baseline.get(probe.id()).reached()) {
                results.put(probe.id(), new ProbeResult(probe.id(), probe.name(), probe.expected(),
                        "inconclusive: already " + baseline.get(probe.id()).text() + " without the firewall",
                        ProbeStatus.FAIL, "", Duration.ZERO));
            }
        }
        List<Probe> pending = runnable.stream().filter(p -> !results.containsKey(p.id())).toList();
        for (Probe probe : pending) {
            if (probe.check() == Check.FIREWALL) {
                progress.accept("firewall: " + ProbeMatrix.display(probe.command()));
                results.put(probe.id(), entrypoint || !probe.id().equals("firewall") ? run(subject, user, probe)
                        : new ProbeResult(probe.id(), probe.name(), probe.expected(), "not applied: devcontainer.json "
                                + "lets the tooling replace the image's entrypoint (overrideCommand is not false)",
                                ProbeStatus.FAIL, "", Duration.ZERO));
            }
        }
        List<Probe> network = pending.stream().filter(p -> p.check() == Check.TCP || p.check() == Check.RESOLVE
                || p.check() == Check.DNS).toList();
        progress.accept("probing as " + user + ": " + network.size() + " network probes, then "
                + pending.stream().filter(p -> p.check() == Check.SUDO || p.check() == Check.PRIVILEGED).count()
                + " privilege probes");
        List<ProbeResult> networkResults = inParallel(network, probe -> run(subject, user, probe));
        for (int i = 0; i < network.size(); i++) {
            results.put(network.get(i).id(), networkResults.get(i));
        }
        // Privilege probes test permissions, not traffic, so they too can run side by side; they come after the
        // network probes because one that wrongly succeeded (a flush) would change what those observe.
        List<Probe> privilege = pending.stream().filter(p -> !results.containsKey(p.id())).toList();
        List<ProbeResult> privilegeResults = inParallel(privilege, probe -> run(subject, user, probe));
        for (int i = 0; i < privilege.size(); i++) {
            results.put(privilege.get(i).id(), privilegeResults.get(i));
        }
        return probes.stream().map(p -> results.get(p.id())).toList();
    }

    /**
     * {@code claude-devc inspect}'s checks on the firewalled container: nothing besides the network (a writable
     * protected path, a forwarded socket or helper, a dangerous capability, the firewall not in force) may be high.
     */
    private ProbeResult boundary(ContainerInfo subject) {
        progress.accept("inspect: what the agent can reach besides the network");
        long t0 = System.nanoTime();
        Inspector.Report report = Inspector.inspect(engine, subject.id(),
                ProtectedPaths.defaults(ProtectedPaths.DEFAULT_OUTPUT, "claude-devc.yaml"));
        List<Inspector.Finding> high = report.findings().stream()
                .filter(f -> f.severity() == Inspector.Severity.HIGH).toList();
        String observed = high.isEmpty() ? "no high finding (" + report.findings().size() + " lower)"
                : high.size() + " high: " + String.join("; ", high.stream()
                        .map(f -> f.area() + " " + f.subject() + ": " + f.detail()).toList());
        return new ProbeResult("inspect", "nothing reachable besides the network (inspect)", "no high finding",
                observed, high.isEmpty() ? ProbeStatus.PASS : ProbeStatus.FAIL, "",
                Duration.ofNanos(System.nanoTime() - t0));
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "claude-devc-verify");
        t.setDaemon(true);
        return t;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClaudeDevcException(ClaudeDevcException.Kind.VERIFICATION_FAILED, "interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Applies {@code task} to each item on a few threads; results in the items' order. */
    private static <T, R> List<R> inParallel(List<T> items, Function<T, R> task) {
        if (items.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, items.size()), Verifier::daemon);
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> task.apply(item)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                results.add(await(future));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private ProbeResult run(ContainerInfo subject, String user, Probe probe) {
        if (probe.command().isEmpty()) {
            return new ProbeResult(probe.id(), probe.name(), probe.expected(),
                    "not run: devcontainer.json has no postStartCommand", ProbeStatus.FAIL, "", Duration.ZERO);
        }
        long t0 = System.nanoTime();
        Duration timeout = probe.check() == Check.FIREWALL ? FIREWALL_TIMEOUT : PROBE_TIMEOUT;
        ExecResult result = engine.exec(subject.id(), user, probe.command(), timeout);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        Observation seen = probe.check().observe(result);
        boolean pass = seen.reached() == probe.mustReach();
        // A deny probe that got through says all in its observation; an allow probe or a privilege check that
        // failed is explained by the command's own output.
        boolean explain = !pass && (probe.mustReach() || probe.check() == Check.SUDO
                || probe.check() == Check.PRIVILEGED);
        return new ProbeResult(probe.id(), probe.name(), probe.expected(), seen.text(),
                pass ? ProbeStatus.PASS : ProbeStatus.FAIL, explain ? result.output() : "", took);
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A random unique-local /64 (RFC 4193), so parallel runs and left-over networks do not overlap. */
    private String ula() {
        String h = hex(7);
        return "fd" + h.substring(0, 2) + ":" + h.substring(2, 6) + ":" + h.substring(6, 10) + ":" + h.substring(10, 14)
                + "::/64";
    }

    private static ClaudeDevcException setupFailure(String message, Throwable cause) {
        return new ClaudeDevcException(ClaudeDevcException.Kind.VERIFICATION_FAILED,
                "verification could not run: " + message, cause);
    }

    /** What this run created, removed at most once, from whichever thread gets there first. */
    private static final class Resources {

        private final DockerEngine engine;
        private final List<ContainerInfo> containers = new ArrayList<>();
        private volatile NetworkInfo network;
        private boolean removed;

        Resources(DockerEngine engine) {
            this.engine = engine;
        }

        synchronized ContainerInfo container(ContainerInfo container) {
            if (removed) { // interrupted while it was starting
                engine.removeContainer(container.id());
                throw new ClaudeDevcException(ClaudeDevcException.Kind.VERIFICATION_FAILED, "interrupted");
            }
            containers.add(container);
            return container;
        }

        synchronized void removeAll() {
            if (removed) {
                return;
            }
            removed = true;
            for (ContainerInfo c : containers) {
                try {
                    engine.removeContainer(c.id());
                } catch (RuntimeException e) {
                    // best effort: the label names what is left
                }
            }
            if (network != null) {
                try {
                    engine.removeNetwork(network.id());
                } catch (RuntimeException e) {
                    // best effort
                }
            }
        }
    }
}
