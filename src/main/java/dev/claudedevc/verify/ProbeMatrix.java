package dev.claudedevc.verify;

import dev.claudedevc.model.ImageLayout;
import dev.claudedevc.model.Endpoint;
import dev.claudedevc.model.NetworkPolicy;
import dev.claudedevc.policy.Decision;
import dev.claudedevc.policy.EffectivePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The verification matrix: the firewall run, every must-allow target, and the standard escapes. A pure function of
 * the policy and the sidecar's addresses, so the matrix can be tested without Docker.
 */
final class ProbeMatrix {

    /** Where the generated image has the firewall and its policy. */
    public static final String FIREWALL = ImageLayout.FIREWALL;
    public static final String POLICY = ImageLayout.POLICY;
    /**
     * How a start waits for the firewall the image's entrypoint applies (the generated {@code postStartCommand}).
     */
    public static final List<String> FIREWALL_COMMAND = List.of("/bin/sh", "-c", ImageLayout.WAIT_COMMAND);
    /** Docker's embedded resolver on user-defined networks. */
    public static final String DOCKER_DNS = "127.0.0.11";
    /** The TCP ports the sidecar listens on. */
    public static final List<Integer> SIDECAR_PORTS = List.of(22, 80, 443, 853, 8443);
    /** Ports tried, in order, for "an allowed host on a port it is not allowed". */
    static final List<Integer> OTHER_PORTS = List.of(8443, 8080, 2222, 9443, 10443);

    private static final String AUDIT = "audit mode: escapes are allowed and logged, not blocked";
    private static final String NO_IPV6 = "the network has no IPv6";
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{4,16}");

    private ProbeMatrix() {
    }

    /**
     * What the matrix is built from.
     *
     * @param policy          the project's effective policy
     * @param firewallCommand how container start runs the firewall
     * @param sidecarIpv4     the sidecar's IPv4 address
     * @param sidecarIpv6     the sidecar's IPv6 address, when the network is dual-stack
     * @param escapeName      a name the policy does not allow, which Docker's resolver maps to the sidecar
     *                        (empty when every candidate is allowed by the policy)
     * @param queryName       the name asked of foreign DNS servers
     * @param registries      package registries that must resolve and connect
     */
    public record Input(EffectivePolicy policy, List<String> firewallCommand, String sidecarIpv4,
            Optional<String> sidecarIpv6, Optional<String> escapeName, String queryName, List<Endpoint> registries) {

        public Input(EffectivePolicy policy, List<String> firewallCommand, String sidecarIpv4,
                Optional<String> sidecarIpv6, Optional<String> escapeName, String queryName) {
            this(policy, firewallCommand, sidecarIpv4, sidecarIpv6, escapeName, queryName, List.of());
        }

        public Input {
            Objects.requireNonNull(policy, "policy");
            firewallCommand = List.copyOf(firewallCommand);
            Objects.requireNonNull(sidecarIpv4, "sidecarIpv4");
            Objects.requireNonNull(sidecarIpv6, "sidecarIpv6");
            Objects.requireNonNull(escapeName, "escapeName");
            Objects.requireNonNull(queryName, "queryName");
            registries = List.copyOf(registries);
        }
    }

    /** The probes, in the order they run (the ones that could open the firewall last). */
    public static List<Probe> build(Input in) {
        EffectivePolicy policy = in.policy();
        boolean audit = policy.mode() == NetworkPolicy.Mode.AUDIT;
        List<Probe> probes = new ArrayList<>();
        probes.add(new Probe("firewall", "firewall applied at start (" + display(in.firewallCommand()) + ")",
                Check.FIREWALL, true, in.firewallCommand(), false, Optional.empty()));
        probes.add(new Probe("status", "in force now (" + display(ImageLayout.STATUS_COMMAND) + ")",
                Check.FIREWALL, true, ImageLayout.STATUS_COMMAND, false, Optional.empty()));

        int n = 0;
        for (Endpoint target : policy.verifyAllow()) {
            n++;
            probes.add(new Probe("allow-" + n, "allowed " + target, Check.TCP, true,
                    tcp(target.host(), target.port()), false, Optional.empty()));
        }

        probes.addAll(registries(in.registries(), ""));

        List<Probe> escapes = new ArrayList<>();
        String s4 = in.sidecarIpv4();
        Probe name = new Probe("name", "non-allowlisted name " + in.escapeName().orElse("(none)"), Check.RESOLVE,
                false, in.escapeName().map(ProbeMatrix::resolve).orElse(List.of()), true, Optional.empty());
        escapes.add(in.escapeName().isPresent() ? name
                : name.skipped("every candidate name is allowed by the policy"));
        escapes.add(direct("direct-ipv4", "direct IPv4 " + s4 + ":443", s4, policy));
        escapes.add(in.sidecarIpv6().map(s6 -> direct("direct-ipv6", "direct IPv6 [" + s6 + "]:443", s6, policy))
                .orElseGet(() -> new Probe("direct-ipv6", "direct IPv6", Check.TCP, false, List.of(), true,
                        Optional.of(NO_IPV6))));
        escapes.add(new Probe("dns-udp", "foreign DNS over UDP @" + s4, Check.DNS, false,
                dig(s4, false, in.queryName()), true, Optional.empty()));
        escapes.add(new Probe("dns-tcp", "foreign DNS over TCP @" + s4, Check.DNS, false,
                dig(s4, true, in.queryName()), true, Optional.empty()));
        escapes.add(in.sidecarIpv6().map(s6 -> new Probe("dns-ipv6", "foreign DNS over IPv6 @" + s6, Check.DNS,
                false, dig(s6, false, in.queryName()), true, Optional.empty()))
                .orElseGet(() -> new Probe("dns-ipv6", "foreign DNS over IPv6", Check.DNS, false, List.of(), true,
                        Optional.of(NO_IPV6))));
        Probe dockerDns = new Probe("dns-docker", "Docker DNS " + DOCKER_DNS + " for "
                + in.escapeName().orElse("(none)"), Check.DNS, false,
                in.escapeName().map(e -> dig(DOCKER_DNS, false, e)).orElse(List.of()), true, Optional.empty());
        escapes.add(in.escapeName().isPresent() ? dockerDns
                : dockerDns.skipped("every candidate name is allowed by the policy"));
        escapes.add(sidecarPort("dot", "DNS over TLS " + s4 + ":853", s4, 853, policy));
        escapes.add(otherPort(policy));
        escapes.add(sidecarPort("ssh", "SSH " + s4 + ":22", s4, 22, policy));
        for (Probe escape : escapes) {
            probes.add(audit && escape.notApplicable().isEmpty() ? escape.skipped(AUDIT) : escape);
        }

        probes.add(new Probe("root-path", "write a folder on root's PATH", Check.PRIVILEGED, false,
                ImageLayout.ROOT_PATH_WRITABLE, false, Optional.empty()));
        probes.add(new Probe("sudo-args", "sudo firewall with an argument", Check.SUDO, false,
                List.of("sudo", "-n", FIREWALL, "--policy", "/tmp/policy.conf"), false, Optional.empty()));
        probes.add(new Probe("sudo-env", "sudo firewall with an environment variable", Check.SUDO, false,
                List.of("sudo", "-n", "BASH_ENV=/dev/null", FIREWALL), false, Optional.empty()));
        probes.add(new Probe("policy-write", "write " + POLICY, Check.PRIVILEGED, false, append(POLICY), false,
                Optional.empty()));
        probes.add(new Probe("script-write", "write " + FIREWALL, Check.PRIVILEGED, false, append(FIREWALL), false,
                Optional.empty()));
        probes.add(new Probe("ipset-flush", "ipset flush as the user", Check.PRIVILEGED, false,
                List.of("ipset", "flush"), false, Optional.empty()));
        probes.add(new Probe("iptables-flush", "iptables -F as the user", Check.PRIVILEGED, false,
                List.of("iptables", "-w", "5", "-F"), false, Optional.empty()));
        return List.copyOf(probes);
    }

    /**
     * One probe per registry host: it must resolve through the firewall's resolver and connect ({@code registry-N},
     * or {@code live-registry-N} in the running dev container).
     */
    static List<Probe> registries(List<Endpoint> registries, String prefix) {
        List<Probe> probes = new ArrayList<>();
        int n = 0;
        for (Endpoint target : registries) {
            n++;
            probes.add(new Probe(prefix + "registry-" + n, (prefix.isEmpty() ? "" : "running: ") + "registry "
                    + target, Check.TCP, true, tcp(target.host(), target.port()), false, Optional.empty()));
        }
        return probes;
    }

    /**
     * A name under a reserved suffix that the policy does not resolve, for Docker's resolver to map to the sidecar.
     *
     * @param suffix random lower-case hex, so parallel runs do not collide
     */
    public static Optional<String> escapeName(EffectivePolicy policy, String suffix) {
        if (!HEX.matcher(suffix).matches()) {
            throw new IllegalArgumentException("suffix must be 4..16 lower-case hex digits: " + suffix);
        }
        for (String tld : List.of("test", "invalid", "example")) {
            String candidate = "claude-devc-escape-" + suffix + "." + tld;
            if (!policy.resolves(candidate).allowed()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Probe otherPort(EffectivePolicy policy) {
        if (policy.verifyAllow().isEmpty()) {
            return new Probe("allowed-host-other-port", "allowed host on another port", Check.TCP, false, List.of(),
                    false, Optional.of("no must-allow target (network.verifyAllow)"));
        }
        Endpoint target = policy.verifyAllow().get(0);
        Optional<Integer> port = OTHER_PORTS.stream().filter(p -> !policy.decide(target.host(), p).allowed())
                .findFirst();
        if (port.isEmpty()) {
            return new Probe("allowed-host-other-port", "allowed host on another port", Check.TCP, false, List.of(),
                    false, Optional.of("the policy allows every candidate port " + OTHER_PORTS));
        }
        Endpoint other = new Endpoint(target.host(), port.get());
        // No baseline: the allowed host may be on the internet, and verify sends no deny probe there unfirewalled.
        return new Probe("allowed-host-other-port", "allowed host on another port " + other, Check.TCP, false,
                tcp(other.host(), other.port()), false, Optional.empty());
    }

    private static Probe direct(String id, String name, String address, EffectivePolicy policy) {
        return sidecarPort(id, name, address, 443, policy);
    }

    /** A deny probe to the sidecar, not applicable when the policy allows that address and port itself. */
    private static Probe sidecarPort(String id, String name, String address, int port, EffectivePolicy policy) {
        Probe probe = new Probe(id, name, Check.TCP, false, tcp(address, port), true, Optional.empty());
        Decision d = policy.decide(address, port);
        return d.allowed() ? probe.skipped(address + ":" + port + " is allowed by "
                + d.entry().orElseThrow().spelling() + " from " + d.entry().orElseThrow().provenance().describe())
                : probe;
    }

    /** A command as a person wrote it: a post-start string is shown without its {@code /bin/sh -c}. */
    static String display(List<String> command) {
        if (command.isEmpty()) {
            return "no postStartCommand";
        }
        if (command.size() == 3 && command.get(0).equals("/bin/sh") && command.get(1).equals("-c")) {
            return command.get(2);
        }
        return String.join(" ", command);
    }

    /** A TCP connect through bash's {@code /dev/tcp}, host and port passed as arguments, 5 s at most. */
    static List<String> tcp(String host, int port) {
        return List.of("timeout", "5", "bash", "-c", "exec 3<>\"/dev/tcp/$1/$2\"", "claude-devc-probe", host,
                Integer.toString(port));
    }

    static List<String> resolve(String name) {
        return List.of("timeout", "10", "getent", "ahosts", name);
    }

    static List<String> dig(String server, boolean tcp, String name) {
        return List.of("dig", "+time=2", "+tries=1", tcp ? "+tcp" : "+notcp", "@" + server, name, "A");
    }

    /** Opens the file for appending and writes nothing: proves write access without changing the file. */
    static List<String> append(String path) {
        return List.of("sh", "-c", ": >> \"$1\"", "claude-devc-probe", path);
    }
}
