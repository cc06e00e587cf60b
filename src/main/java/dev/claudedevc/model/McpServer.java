package dev.claudedevc.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One MCP server of the project's {@code .mcp.json}, validated.
 *
 * @param name      the server's name (its key in {@code mcpServers})
 * @param transport how Claude Code talks to it
 * @param host      for a remote server, the host and port its URL names
 */
public record McpServer(String name, Transport transport, Optional<DomainRule> host) {

    /** Remote servers are reached over the network; stdio servers run inside the box as a command. */
    public enum Transport { HTTP, SSE, STDIO }

    public McpServer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(host, "host");
        if ((transport == Transport.STDIO) == host.isPresent()) {
            throw new IllegalArgumentException("a remote server has a host, a stdio server none");
        }
    }

    public boolean isRemote() {
        return transport != Transport.STDIO;
    }
}
