package dev.claudedevc.policy;

import dev.claudedevc.descriptor.LoadedDescriptor;
import dev.claudedevc.descriptor.PresetCatalog;
import dev.claudedevc.descriptor.SourceMap;
import dev.claudedevc.descriptor.Syntax;
import dev.claudedevc.model.Cidr;
import dev.claudedevc.model.ClaudeCode;
import dev.claudedevc.model.Descriptor;
import dev.claudedevc.model.DomainRule;
import dev.claudedevc.model.McpServer;
import dev.claudedevc.model.NetworkPolicy;
import dev.claudedevc.model.Preset;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a descriptor into its {@link EffectivePolicy}: each source's entries in a fixed order (presets in the
 * descriptor's order, the non-essential groups, allowedDomains, .mcp.json, the proxy, allowedCidrs), each with
 * where it came from.
 */
final class PolicyBuilder {

    /** The preset that holds Claude Code's hosts, and the optional groups of its non-essential traffic. */
    static final String CLAUDE_PRESET = "anthropic";

    private final Descriptor descriptor;
    private final NetworkPolicy network;
    private final SourceMap sources;
    private final PresetCatalog presets;
    private final List<AllowEntry> allowed = new ArrayList<>();

    PolicyBuilder(LoadedDescriptor loaded, PresetCatalog presets) {
        this.descriptor = loaded.descriptor();
        this.network = descriptor.network();
        this.sources = loaded.sources();
        this.presets = presets;
    }

    EffectivePolicy build() {
        List<String> names = network.presets();
        for (int i = 0; i < names.size(); i++) {
            String key = "network.presets[" + i + "]";
            String name = names.get(i);
            // The reader checks the name's syntax; whether the catalog (built-in, or a team's) has it is ours.
            Preset preset = presets.get(name).orElseThrow(() -> sources.error(key, "unknown preset '" + name
                    + "' (known: " + String.join(", ", presets.names()) + ")"));
            for (Preset.Entry entry : preset.entries()) {
                add(entry.rule(), new Provenance(Provenance.Kind.PRESET, name, "preset " + name + ": "
                        + entry.rule(), key, sources.location(key)));
            }
        }
        nonEssential();
        List<DomainRule> domains = network.allowedDomains();
        for (int i = 0; i < domains.size(); i++) {
            add(domains.get(i), descriptorEntry("network.allowedDomains[" + i + "]"));
        }
        for (McpServer server : network.mcpServers()) {
            server.host().ifPresent(host -> add(host, new Provenance(Provenance.Kind.MCP, server.name(),
                    ".mcp.json server " + server.name() + ": " + host, "network.mcp", sources.location("network.mcp"))));
        }
        descriptor.proxy().ifPresent(proxy -> {
            proxy.http().ifPresent(url -> add(proxyRule(url), proxyEntry("proxy.http")));
            proxy.https().ifPresent(url -> add(proxyRule(url), proxyEntry("proxy.https")));
        });
        List<Cidr> cidrs = network.allowedCidrs();
        for (int i = 0; i < cidrs.size(); i++) {
            allowed.add(new AllowEntry(AllowEntry.Match.NET, cidrs.get(i).toString(), network.ports(), false,
                    descriptorEntry("network.allowedCidrs[" + i + "]")));
        }
        portSets();
        List<DenyEntry> denied = new ArrayList<>();
        for (int i = 0; i < network.deniedDomains().size(); i++) {
            denied.add(new DenyEntry(network.deniedDomains().get(i).value(),
                    descriptorEntry("network.deniedDomains[" + i + "]")));
        }
        List<PrivateAnswer> privateAnswers = new ArrayList<>();
        for (int i = 0; i < network.privateAnswers().size(); i++) {
            privateAnswers.add(new PrivateAnswer(network.privateAnswers().get(i),
                    descriptorEntry("network.privateAnswers[" + i + "]")));
        }
        return new EffectivePolicy(network.mode(), network.ipv6(), network.ports(), allowed, denied, privateAnswers,
                sourced(network.hostPorts(), "network.hostAccess.ports"),
                sourced(network.verifyAllow(), "network.verify.allow"),
                sourced(network.verifyDeny(), "network.verify.deny"), network.mcpServers());
    }

    private <T> List<Sourced<T>> sourced(List<T> values, String key) {
        List<Sourced<T>> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            out.add(new Sourced<>(values.get(i), descriptorEntry(key + "[" + i + "]")));
        }
        return out;
    }

    /**
     * The firewall numbers its port groups 0 to {@value EffectivePolicy#MAX_PORT_SETS}-1 (one allow set per group
     * and family): the entry that would open one more distinct port set is a located error here, not a firewall
     * that refuses its policy at container start.
     */
    private void portSets() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (AllowEntry e : allowed) {
            if (seen.add(e.portList()) && seen.size() > EffectivePolicy.MAX_PORT_SETS) {
                throw sources.error(e.provenance().keyPath(), "'" + e.spelling() + "' makes "
                        + seen.size() + " distinct sets of ports; the firewall takes at most "
                        + EffectivePolicy.MAX_PORT_SETS + " (entries without a port share network.ports)");
            }
        }
    }

    /**
     * The hosts of the non-essential traffic the descriptor turned back on: the {@value #CLAUDE_PRESET} preset's
     * optional group of each part's name, so that the firewall and Claude Code's settings never disagree.
     */
    private void nonEssential() {
        List<ClaudeCode.Traffic> parts = List.copyOf(descriptor.claudeCode().nonEssential());
        for (int i = 0; i < parts.size(); i++) {
            String group = parts.get(i).spelling();
            String key = "claudeCode.nonEssential[" + i + "]";
            Preset.Group entries = presets.get(CLAUDE_PRESET).flatMap(p -> p.group(group))
                    .orElseThrow(() -> sources.error(key, group + ": the " + CLAUDE_PRESET
                            + " preset has no optional group '" + group + "'"));
            for (Preset.Entry entry : entries.entries()) {
                add(entry.rule(), new Provenance(Provenance.Kind.NON_ESSENTIAL, CLAUDE_PRESET + "/" + group,
                        "preset " + CLAUDE_PRESET + ", optional group " + group + ": " + entry.rule(), key,
                        sources.location(key)));
            }
        }
    }

    private Provenance descriptorEntry(String key) {
        String location = sources.location(key);
        return new Provenance(Provenance.Kind.DESCRIPTOR, "", location, key, location);
    }

    private Provenance proxyEntry(String key) {
        String location = sources.location(key);
        return new Provenance(Provenance.Kind.PROXY, "", location, key, location);
    }

    /** The proxy's own host and port must be reachable, or nothing else would be. */
    private static DomainRule proxyRule(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        DomainRule host = Syntax.domainRule(uri.getHost());
        return new DomainRule(host.kind(), host.value(), java.util.OptionalInt.of(port));
    }

    private void add(DomainRule rule, Provenance provenance) {
        List<Integer> ports = rule.port().isPresent() ? List.of(rule.port().getAsInt()) : network.ports();
        boolean explicit = rule.port().isPresent();
        allowed.add(switch (rule.kind()) {
            case EXACT -> new AllowEntry(AllowEntry.Match.EXACT, rule.value(), ports, explicit, provenance);
            case SUBDOMAINS -> new AllowEntry(AllowEntry.Match.SUBDOMAINS, rule.value(), ports, explicit, provenance);
            case IPV4 -> new AllowEntry(AllowEntry.Match.NET, rule.value() + "/32", ports, explicit, provenance);
            case IPV6 -> new AllowEntry(AllowEntry.Match.NET, rule.value() + "/128", ports, explicit, provenance);
        });
    }
}
