package dev.claudedevc.model;

import java.util.List;
import java.util.Objects;

/**
 * The egress policy of the container.
 *
 * @param mode           enforce (deny what is not allowed) or audit (allow all, record what enforce would deny)
 * @param ipv6           filter IPv6 like IPv4, or block it entirely
 * @param presets        names of presets whose domains are allowed, in the order given
 * @param allowedDomains allowed destinations, in the grammar of Claude Code's {@code sandbox.network.allowedDomains}
 * @param deniedDomains  names never resolved, even if an allowed wildcard covers them
 * @param allowedCidrs   allowed address ranges (IPv4 and IPv6), reachable on {@link #ports()}
 * @param privateAnswers private, loopback, link-local and other internal ranges that an allowed name may resolve
 *                       to (a corporate mirror on 10.x); any other such answer stays unreachable (DNS rebinding)
 * @param ports          the TCP ports of entries that name none (default 443 and 80)
 * @param hostPorts      TCP ports on the container's gateway (the Docker host) the agent may reach; empty = none
 * @param verifyAllow    targets the firewall's self-test must reach
 * @param verifyDeny     targets the firewall's self-test must find blocked
 * @param mcp            whether the remote MCP servers of the project's {@code .mcp.json} are allowed
 * @param mcpServers     the servers of {@code .mcp.json} (read when {@code mcp} is {@code ALLOW}), in file order
 */
public record NetworkPolicy(
        Mode mode,
        Ipv6Mode ipv6,
        List<String> presets,
        List<DomainRule> allowedDomains,
        List<DomainRule> deniedDomains,
        List<Cidr> allowedCidrs,
        List<Cidr> privateAnswers,
        List<Integer> ports,
        List<Integer> hostPorts,
        List<Endpoint> verifyAllow,
        List<Endpoint> verifyDeny,
        McpMode mcp,
        List<McpServer> mcpServers) {

    /** {@code network.mcp}: the remote MCP servers' hosts are allowed, or only proposed by init. */
    public enum McpMode { ALLOW, IGNORE }

    /** Whether non-allowed traffic is rejected or only recorded. */
    public enum Mode { ENFORCE, AUDIT }

    /** What happens to IPv6. */
    public enum Ipv6Mode { FILTER, BLOCK }

    public NetworkPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(ipv6, "ipv6");
        presets = List.copyOf(presets);
        allowedDomains = List.copyOf(allowedDomains);
        deniedDomains = List.copyOf(deniedDomains);
        allowedCidrs = List.copyOf(allowedCidrs);
        privateAnswers = List.copyOf(privateAnswers);
        ports = List.copyOf(ports);
        hostPorts = List.copyOf(hostPorts);
        verifyAllow = List.copyOf(verifyAllow);
        verifyDeny = List.copyOf(verifyDeny);
        Objects.requireNonNull(mcp, "mcp");
        mcpServers = List.copyOf(mcpServers);
    }

    /** Without MCP servers. */
    public NetworkPolicy(Mode mode, Ipv6Mode ipv6, List<String> presets, List<DomainRule> allowedDomains,
            List<DomainRule> deniedDomains, List<Cidr> allowedCidrs, List<Cidr> privateAnswers, List<Integer> ports,
            List<Integer> hostPorts, List<Endpoint> verifyAllow, List<Endpoint> verifyDeny) {
        this(mode, ipv6, presets, allowedDomains, deniedDomains, allowedCidrs, privateAnswers, ports, hostPorts,
                verifyAllow, verifyDeny, McpMode.IGNORE, List.of());
    }
}
