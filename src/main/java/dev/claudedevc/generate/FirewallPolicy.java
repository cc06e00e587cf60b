package dev.claudedevc.generate;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.descriptor.PresetCatalog;
import dev.claudedevc.model.ClaudeCode;
import dev.claudedevc.descriptor.Syntax;
import dev.claudedevc.model.Cidr;
import dev.claudedevc.model.Descriptor;
import dev.claudedevc.model.DomainRule;
import dev.claudedevc.model.Endpoint;
import dev.claudedevc.model.NetworkPolicy;
import dev.claudedevc.model.Preset;
import dev.claudedevc.model.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The firewall policy as the in-container script consumes it ({@code firewall/README.md}, "Policy file format"):
 * presets, allowed domains, CIDRs and the proxy merged into port groups, deduplicated and sorted, so the same
 * descriptor always gives the same bytes.
 *
 * @param mode       {@code enforce} or {@code audit}
 * @param ipv6       {@code filter} or {@code block}
 * @param groups     port sets; a group's index is its id
 * @param names      allowed names with their group
 * @param nets       allowed ranges with their group
 * @param denied     names answered NXDOMAIN
 * @param privateAnswers internal ranges allowed names may resolve to (IPv4 and IPv6, sorted)
 * @param hostPorts  gateway ports
 * @param verifyAllow self-test targets that must connect
 * @param verifyDeny  self-test targets that must not
 */
public record FirewallPolicy(
        String mode,
        String ipv6,
        List<String> groups,
        List<AllowedName> names,
        List<AllowedNet> nets,
        List<String> denied,
        List<String> privateAnswers,
        List<Integer> hostPorts,
        List<Endpoint> verifyAllow,
        List<Endpoint> verifyDeny) {

    /** An allowed name: {@code match} is {@code exact} or {@code subdomains}. */
    public record AllowedName(int group, String match, String host) {
    }

    /** An allowed range. */
    public record AllowedNet(int group, String cidr) {
    }

    /** Compiles the descriptor's network section, with its presets and proxy, into a policy. */
    public static FirewallPolicy of(Descriptor descriptor, PresetCatalog presets) {
        NetworkPolicy network = descriptor.network();
        List<DomainRule> rules = new ArrayList<>();
        for (String name : network.presets()) {
            Preset preset = presets.get(name).orElseThrow(() -> new IllegalStateException("unknown preset " + name));
            preset.entries().forEach(e -> rules.add(e.rule()));
        }
        rules.addAll(nonEssentialRules(descriptor, presets));
        rules.addAll(network.allowedDomains());
        network.mcpServers().forEach(server -> server.host().ifPresent(rules::add));
        descriptor.proxy().ifPresent(proxy -> rules.addAll(proxyRules(proxy)));

        String defaultPorts = portList(network.ports());
        // (ports, match, host) sets; a TreeMap keyed by port list gives groups a stable order.
        Map<String, TreeSet<String>> namesByPorts = new TreeMap<>();
        Map<String, TreeSet<String>> netsByPorts = new TreeMap<>();
        for (DomainRule rule : rules) {
            String ports = rule.port().isPresent() ? String.valueOf(rule.port().getAsInt()) : defaultPorts;
            switch (rule.kind()) {
                case EXACT -> namesByPorts.computeIfAbsent(ports, k -> new TreeSet<>()).add(rule.value() + " exact");
                case SUBDOMAINS -> namesByPorts.computeIfAbsent(ports, k -> new TreeSet<>())
                        .add(rule.value() + " subdomains");
                case IPV4 -> netsByPorts.computeIfAbsent(ports, k -> new TreeSet<>()).add(rule.value() + "/32");
                case IPV6 -> netsByPorts.computeIfAbsent(ports, k -> new TreeSet<>()).add(rule.value() + "/128");
            }
        }
        for (Cidr cidr : network.allowedCidrs()) {
            netsByPorts.computeIfAbsent(defaultPorts, k -> new TreeSet<>()).add(cidr.toString());
        }
        TreeSet<String> portSets = new TreeSet<>(namesByPorts.keySet());
        portSets.addAll(netsByPorts.keySet());
        List<String> groups = new ArrayList<>(portSets);
        List<AllowedName> names = new ArrayList<>();
        List<AllowedNet> nets = new ArrayList<>();
        for (int id = 0; id < groups.size(); id++) {
            int group = id;
            namesByPorts.getOrDefault(groups.get(id), new TreeSet<>()).forEach(entry -> {
                String[] parts = entry.split(" ");
                names.add(new AllowedName(group, parts[1], parts[0]));
            });
            netsByPorts.getOrDefault(groups.get(id), new TreeSet<>()).forEach(cidr -> nets.add(new AllowedNet(group, cidr)));
        }
        List<String> denied = network.deniedDomains().stream().map(DomainRule::value).distinct().sorted()
                .collect(Collectors.toList());
        return new FirewallPolicy(
                network.mode().name().toLowerCase(java.util.Locale.ROOT),
                network.ipv6().name().toLowerCase(java.util.Locale.ROOT),
                groups, names, nets, denied,
                network.privateAnswers().stream().map(Cidr::toString).distinct().sorted().toList(),
                network.hostPorts().stream().sorted().toList(),
                network.verifyAllow(), network.verifyDeny());
    }

    /** The preset that holds Claude Code's hosts, and the optional groups of its non-essential traffic. */
    public static final String CLAUDE_PRESET = "anthropic";

    /**
     * The hosts of the non-essential traffic the descriptor turned back on: the {@value #CLAUDE_PRESET} preset's
     * optional group of each part's name, so that the firewall and Claude Code's settings never disagree.
     */
    static List<DomainRule> nonEssentialRules(Descriptor descriptor, PresetCatalog presets) {
        List<DomainRule> out = new ArrayList<>();
        for (ClaudeCode.Traffic part : new TreeSet<>(descriptor.claudeCode().nonEssential())) {
            Preset.Group group = presets.get(CLAUDE_PRESET).flatMap(p -> p.group(part.spelling()))
                    .orElseThrow(() -> new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR,
                            "claudeCode.nonEssential: " + part.spelling() + ": the " + CLAUDE_PRESET
                                    + " preset has no optional group '" + part.spelling() + "'"));
            group.entries().forEach(e -> out.add(e.rule()));
        }
        return out;
    }

    /** The proxy's own host and port must be reachable, or nothing else would be. */
    private static List<DomainRule> proxyRules(Proxy proxy) {
        List<DomainRule> out = new ArrayList<>();
        for (Optional<String> url : List.of(proxy.http(), proxy.https())) {
            url.ifPresent(u -> {
                URI uri = URI.create(u);
                int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
                DomainRule host = Syntax.domainRule(uri.getHost());
                out.add(new DomainRule(host.kind(), host.value(), OptionalInt.of(port)));
            });
        }
        return out;
    }

    private static String portList(List<Integer> ports) {
        return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
