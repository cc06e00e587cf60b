package dev.claudedevc.descriptor;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.model.DomainRule;
import dev.claudedevc.model.McpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the project's {@code .mcp.json} (Claude Code's project-scoped MCP servers): each server's transport and,
 * for a remote one ({@code http}, {@code sse}), the host and port of its URL. A file that is not valid JSON, a
 * server without a usable URL or command, or a URL whose host is not a plain name or address is a located error
 * ({@code .mcp.json:LINE:COLUMN: mcpServers.NAME.url: reason}), never a silent skip.
 */
public final class McpConfig {

    /** The file's name in the project folder. */
    public static final String FILE = ".mcp.json";
    private static final int MAX_BYTES = 256 * 1024;
    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern URL = Pattern.compile(
            "(https?)://([^/?#@\\[\\]:]+|\\[[0-9A-Fa-f:.]+\\])(?::([0-9]{1,5}))?(?:[/?#].*)?");

    private McpConfig() {
    }

    /** The servers of {@code projectDir/.mcp.json}, or none when there is no such file. */
    public static List<McpServer> read(Path projectDir) {
        Path file = projectDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Located.Source source = new Located.Source(file, "JSON");
        String text;
        try {
            if (Files.size(file) == 0) {
                // The host step's placeholder: with network.mcp: allow the file is mounted read-only, created
                // empty when the project has none.
                return List.of();
            }
            if (Files.size(file) > MAX_BYTES) {
                throw source.error(1, 1, "", "larger than " + MAX_BYTES + " bytes");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR,
                    Located.Source.display(file) + ": cannot read: " + e.getMessage(), e);
        }
        Node root = TreeParser.json().parse(text, source);
        if (!(root instanceof Node.MapNode top)) {
            throw source.error(root, "", "expected an object with mcpServers, got " + root.typeName());
        }
        Node.Entry servers = top.entries().get("mcpServers");
        if (servers == null) {
            return List.of();
        }
        if (!(servers.value() instanceof Node.MapNode map)) {
            throw source.error(servers.value(), "mcpServers", "expected an object of servers, got "
                    + servers.value().typeName());
        }
        List<McpServer> out = new ArrayList<>();
        map.entries().forEach((name, entry) -> out.add(server(source, name, entry)));
        return out;
    }

    private static McpServer server(Located.Source source, String name, Node.Entry entry) {
        String at = "mcpServers." + Fields.printable(name);
        if (!SERVER_NAME.matcher(name).matches()) {
            throw source.error(entry.keyLine(), entry.keyColumn(), at, "not a server name claude-devc accepts"
                    + " (letters, digits, _ . -, at most 64)");
        }
        if (!(entry.value() instanceof Node.MapNode server)) {
            throw source.error(entry.value(), at, "expected an object, got " + entry.value().typeName());
        }
        Optional<String> type = string(source, server, "type", at);
        Optional<String> url = string(source, server, "url", at);
        Optional<String> command = string(source, server, "command", at);
        String kind = type.orElse(url.isPresent() ? "http" : "stdio");
        return switch (kind) {
            case "stdio" -> {
                if (command.isEmpty()) {
                    throw source.error(server, at, "a stdio server needs a command");
                }
                yield new McpServer(name, McpServer.Transport.STDIO, Optional.empty());
            }
            case "http", "sse" -> {
                Node urlNode = Optional.ofNullable(server.entries().get("url")).map(Node.Entry::value)
                        .orElseThrow(() -> source.error(server, at, "a " + kind + " server needs a url"));
                yield new McpServer(name, kind.equals("http") ? McpServer.Transport.HTTP : McpServer.Transport.SSE,
                        Optional.of(host(source, urlNode, url.orElseThrow(), at + ".url")));
            }
            default -> throw source.error(server.entries().get("type").value(), at + ".type", "'"
                    + Fields.printable(kind) + "' is not a transport claude-devc knows (stdio, http, sse)");
        };
    }

    private static DomainRule host(Located.Source source, Node node, String url, String at) {
        if (url.contains("${")) {
            throw source.error(node, at, "'" + Fields.printable(url) + "' takes its address from an environment"
                    + " variable, which claude-devc cannot know; allow the host in network.allowedDomains instead");
        }
        Matcher m = URL.matcher(url);
        if (url.length() > 2048 || !m.matches()) {
            throw source.error(node, at, "'" + Fields.printable(url) + "' is not an http(s) URL with a host");
        }
        String host = m.group(2).toLowerCase(java.util.Locale.ROOT);
        int port = m.group(3) != null ? Integer.parseInt(m.group(3)) : m.group(1).equals("https") ? 443 : 80;
        try {
            DomainRule rule = Syntax.domainRule(host);
            if (rule.kind() == DomainRule.Kind.SUBDOMAINS) {
                throw new IllegalArgumentException("a URL names one host, not a wildcard");
            }
            return new DomainRule(rule.kind(), rule.value(), OptionalInt.of(Syntax.allowedPort(port)));
        } catch (IllegalArgumentException e) {
            throw source.error(node, at, "'" + Fields.printable(url) + "': " + e.getMessage());
        }
    }

    private static Optional<String> string(Located.Source source, Node.MapNode map, String key, String at) {
        Node.Entry e = map.entries().get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (!(e.value() instanceof Node.Scalar s) || !(s.value() instanceof String text)) {
            throw source.error(e.value(), at + "." + key, "expected a string, got " + e.value().typeName());
        }
        return Optional.of(text);
    }
}
