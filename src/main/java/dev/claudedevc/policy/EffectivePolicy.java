package dev.claudedevc.policy;

import dev.claudedevc.descriptor.LoadedDescriptor;
import dev.claudedevc.descriptor.PresetCatalog;
import dev.claudedevc.model.Ecosystem;
import dev.claudedevc.model.Endpoint;
import dev.claudedevc.model.McpServer;
import dev.claudedevc.model.NetworkPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The egress policy in force for a project: the descriptor's {@code network} section with its presets, the
 * non-essential traffic it turns back on, the remote {@code .mcp.json} servers and the proxy resolved into
 * entries, each with its {@link Provenance}. Immutable; built once at read time ({@link #of}) and used by every
 * command, so that the firewall, Claude Code's settings, {@code audit}, {@code verify} and {@code check} cannot
 * disagree. {@link #decide} is the one matching rule.
 */
public final class EffectivePolicy {

    /** The most distinct port sets the firewall loads (its group ids are 0..99). */
    public static final int MAX_PORT_SETS = 100;

    private final NetworkPolicy.Mode mode;
    private final NetworkPolicy.Ipv6Mode ipv6;
    private final List<Integer> ports;
    private final List<AllowEntry> allowed;
    private final List<DenyEntry> denied;
    private final List<PrivateAnswer> privateAnswers;
    private final List<Sourced<Integer>> hostPorts;
    private final List<Sourced<Endpoint>> verifyAllow;
    private final List<Sourced<Endpoint>> verifyDeny;
    private final List<McpServer> mcpServers;
    private final List<PortGroup> groups;

    /**
     * @param mode           enforce, or audit (everything passes and is recorded)
     * @param ipv6           filter IPv6 like IPv4, or block it
     * @param ports          {@code network.ports}: what an entry without a port opens
     * @param allowed        every allowed entry, in source order (presets, non-essential groups, allowedDomains,
     *                       .mcp.json, proxy, allowedCidrs); the same destination may come from several sources
     * @param denied         the denied names, in source order
     * @param privateAnswers internal ranges DNS answers may open
     * @param hostPorts      ports on the Docker host the agent may reach
     * @param verifyAllow    targets the firewall's self-test must reach
     * @param verifyDeny     targets the self-test must find blocked
     * @param mcpServers     the {@code .mcp.json} servers read ({@code network.mcp: allow}), in file order
     */
    EffectivePolicy(NetworkPolicy.Mode mode, NetworkPolicy.Ipv6Mode ipv6, List<Integer> ports,
            List<AllowEntry> allowed, List<DenyEntry> denied, List<PrivateAnswer> privateAnswers,
            List<Sourced<Integer>> hostPorts, List<Sourced<Endpoint>> verifyAllow, List<Sourced<Endpoint>> verifyDeny,
            List<McpServer> mcpServers) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.ipv6 = Objects.requireNonNull(ipv6, "ipv6");
        this.ports = List.copyOf(ports);
        this.allowed = List.copyOf(allowed);
        this.denied = List.copyOf(denied);
        this.privateAnswers = List.copyOf(privateAnswers);
        this.hostPorts = List.copyOf(hostPorts);
        this.verifyAllow = List.copyOf(verifyAllow);
        this.verifyDeny = List.copyOf(verifyDeny);
        this.mcpServers = List.copyOf(mcpServers);
        this.groups = groups(this.allowed);
    }

    /**
     * Resolves the descriptor's policy against the presets it was read with. A reference the catalog cannot
     * satisfy (an optional group a team's preset lacks) is a located descriptor error.
     */
    public static EffectivePolicy of(LoadedDescriptor loaded, PresetCatalog presets) {
        return new PolicyBuilder(loaded, presets).build();
    }

    public NetworkPolicy.Mode mode() {
        return mode;
    }

    public NetworkPolicy.Ipv6Mode ipv6() {
        return ipv6;
    }

    /** {@code network.ports}, in the descriptor's order. */
    public List<Integer> ports() {
        return ports;
    }

    public List<AllowEntry> allowed() {
        return allowed;
    }

    public List<DenyEntry> denied() {
        return denied;
    }

    public List<PrivateAnswer> privateAnswers() {
        return privateAnswers;
    }

    /** The host ports, sorted. */
    public List<Integer> hostPorts() {
        return hostPorts.stream().map(Sourced::value).distinct().sorted().toList();
    }

    /** The host ports with their keys ({@code network.hostAccess.ports[0]}), in the descriptor's order. */
    public List<Sourced<Integer>> hostPortEntries() {
        return hostPorts;
    }

    public List<Endpoint> verifyAllow() {
        return verifyAllow.stream().map(Sourced::value).toList();
    }

    public List<Endpoint> verifyDeny() {
        return verifyDeny.stream().map(Sourced::value).toList();
    }

    /** The must-connect self-test targets with their keys ({@code network.verify.allow[0]}). */
    public List<Sourced<Endpoint>> verifyAllowEntries() {
        return verifyAllow;
    }

    /** The must-be-blocked self-test targets with their keys ({@code network.verify.deny[0]}). */
    public List<Sourced<Endpoint>> verifyDenyEntries() {
        return verifyDeny;
    }

    public List<McpServer> mcpServers() {
        return mcpServers;
    }

    /**
     * The allowed names and ranges by port set, deduplicated and sorted (port sets as text, then entries as
     * text), so the same policy always loads the same way.
     */
    public List<PortGroup> groups() {
        return groups;
    }

    /** The denied names, distinct and sorted. */
    public List<String> deniedNames() {
        return denied.stream().map(DenyEntry::host).distinct().sorted().toList();
    }

    /** The private-answer ranges, distinct and sorted as text. */
    public List<String> privateRanges() {
        return privateAnswers.stream().map(p -> p.range().toString()).distinct().sorted().toList();
    }

    /** Nothing is allowed at all: the container would have no egress (no preset, domain or range). */
    public boolean allowsNothing() {
        return allowed.isEmpty();
    }

    /**
     * Whether a connection to {@code host} on TCP {@code port} is allowed, and by which entry.
     *
     * @param host a DNS name (any case, an optional trailing dot) or an IP literal (IPv6 with or without brackets)
     */
    public Decision decide(String host, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return decide(host, OptionalInt.of(port));
    }

    /**
     * Whether the resolver answers {@code name} (some entry allows it on some port, and no denied name covers
     * it): what {@code audit} asks of a logged lookup.
     */
    public Decision resolves(String name) {
        return decide(name, OptionalInt.empty());
    }

    /**
     * The one matching rule: a denied name covers itself and every name below it and wins over any allow; an
     * exact entry covers its name only; a {@code *.x} entry every name strictly below {@code x}; a range every
     * address in it; an entry opens its own port or, without one, {@code network.ports}. When several entries
     * cover the destination, the most specific decides (exact before subdomains, the longer suffix or prefix
     * first, then source order).
     */
    private Decision decide(String host, OptionalInt port) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".") && h.length() > 1) {
            h = h.substring(0, h.length() - 1);
        }
        String target = h;
        Optional<byte[]> address = Addresses.literal(target);
        List<AllowEntry> covering;
        if (address.isPresent()) {
            covering = allowed.stream().filter(e -> e.match() == AllowEntry.Match.NET
                    && Addresses.contains(e.value(), address.get())).toList();
        } else {
            Optional<DenyEntry> deny = denied.stream().filter(d -> d.covers(target)).findFirst();
            if (deny.isPresent()) {
                return new Decision(Decision.Verdict.DENIED_NAME, Optional.of(deny.get()), target
                        + " is denied by deniedDomains entry " + deny.get().host() + ": never resolved, whatever"
                        + " allows it");
            }
            covering = allowed.stream().filter(e -> e.coversName(target)).toList();
        }
        if (covering.isEmpty()) {
            return new Decision(Decision.Verdict.NOT_LISTED, Optional.empty(), "no entry allows " + target);
        }
        List<AllowEntry> open = port.isEmpty() ? covering
                : covering.stream().filter(e -> e.ports().contains(port.getAsInt())).toList();
        if (open.isEmpty()) {
            AllowEntry closest = mostSpecific(covering);
            String ports = covering.stream().flatMap(e -> e.ports().stream()).distinct().map(String::valueOf)
                    .collect(Collectors.joining(", "));
            int p = port.getAsInt();
            return new Decision(Decision.Verdict.PORT_NOT_ALLOWED, Optional.of(closest), target
                    + " is allowed on port(s) " + ports + " only, not " + p
                    + (p == 53 || p == 853 ? " (DNS goes only through the container's own resolver)" : ""));
        }
        AllowEntry by = mostSpecific(open);
        return new Decision(Decision.Verdict.ALLOWED, Optional.of(by), target
                + (port.isPresent() ? ":" + port.getAsInt() : "") + " is allowed by " + by.spelling());
    }

    private static AllowEntry mostSpecific(List<AllowEntry> entries) {
        return entries.stream().min(Comparator.comparingInt((AllowEntry e) -> e.match() == AllowEntry.Match.EXACT
                ? 0 : 1).thenComparingInt(e -> -specificity(e))).orElseThrow();
    }

    private static int specificity(AllowEntry e) {
        return e.match() == AllowEntry.Match.NET ? Integer.parseInt(e.value().substring(e.value().indexOf('/') + 1))
                : e.value().length();
    }

    /**
     * The registries {@code verify} proves reachable: for each preset of an ecosystem's registry, its first exact
     * host (the registry itself; mirrors and CDNs follow it in the preset), on the entry's port, else 443 when
     * the policy opens it, else its first port. The hosts come from the presets only, so a test points them at a
     * lab server by overriding a preset, never at a public address.
     */
    public List<Endpoint> registryTargets() {
        Set<String> registries = java.util.Arrays.stream(Ecosystem.values()).map(Ecosystem::preset)
                .collect(Collectors.toSet());
        Map<String, Endpoint> targets = new TreeMap<>();  // by preset name, as the catalog lists them
        for (AllowEntry e : allowed) {
            String preset = e.provenance().origin();
            if (e.provenance().kind() == Provenance.Kind.PRESET && registries.contains(preset)
                    && e.match() == AllowEntry.Match.EXACT && !targets.containsKey(preset)) {
                targets.put(preset, new Endpoint(e.value(), e.ports().contains(443) ? 443 : e.ports().get(0)));
            }
        }
        return List.copyOf(targets.values());
    }

    private static List<PortGroup> groups(List<AllowEntry> allowed) {
        // Keyed by the port list as text, then by the entry as the firewall spells it: a stable order.
        Map<String, List<Integer>> portSets = new TreeMap<>();
        Map<String, TreeMap<String, AllowEntry>> names = new TreeMap<>();
        Map<String, TreeMap<String, AllowEntry>> nets = new TreeMap<>();
        for (AllowEntry e : allowed) {
            String key = e.portList();
            portSets.putIfAbsent(key, e.ports());
            if (e.isName()) {
                names.computeIfAbsent(key, k -> new TreeMap<>()).putIfAbsent(e.value() + " "
                        + e.match().name().toLowerCase(Locale.ROOT), e);
            } else {
                nets.computeIfAbsent(key, k -> new TreeMap<>()).putIfAbsent(e.value(), e);
            }
        }
        List<PortGroup> out = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> set : portSets.entrySet()) {
            out.add(new PortGroup(out.size(), set.getValue(),
                    List.copyOf(names.getOrDefault(set.getKey(), new TreeMap<>()).values()),
                    List.copyOf(nets.getOrDefault(set.getKey(), new TreeMap<>()).values())));
        }
        return List.copyOf(out);
    }
}
