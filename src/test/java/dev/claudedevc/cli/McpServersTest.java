package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The project's {@code .mcp.json}: init proposes the remote servers' hosts and lists stdio servers as running inside;
 * with {@code network.mcp: allow}, generate allows exactly those hosts in the firewall and in Claude Code's managed
 * settings, saying where each came from; a malformed file or URL is a located error and nothing is written.
 */
class McpServersTest {

    private static final Path FIXTURES = Path.of("src/test/resources/mcp");

    @TempDir
    Path repo;

    private void fixture(String name) throws IOException {
        Files.copy(FIXTURES.resolve(name).resolve(".mcp.json"), repo.resolve(".mcp.json"));
    }

    @Test
    void initProposesRemoteHostsAndListsStdioServersButAllowsNothingByItself() throws IOException {
        fixture("remote");
        CliRun run = CliRun.of("init", "-C", repo.toString()).exits(0);
        assertTrue(run.err().contains("mcp: .mcp.json server docs (http) needs mcp.docs.example.com:443: to allow it,"
                + " set network.mcp: allow"), run.err());
        assertTrue(run.err().contains("server tickets (sse) needs tickets.example.org:8443"), run.err());
        assertTrue(run.err().contains("mcp: .mcp.json server files (stdio) runs inside the box"), run.err());
        assertTrue(run.err().contains("mcp: .mcp.json server db (stdio) runs inside the box"), run.err());
        String policy = Files.readString(repo.resolve(".devcontainer/claude-devc-policy.conf"));
        assertFalse(policy.contains("example.com") || policy.contains("example.org"), policy);
    }

    @Test
    void generateWithMcpAllowAddsTheRemoteHostsWithProvenanceToTheFirewallAndClaudeCode() throws IOException {
        fixture("remote");
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: mcp-app\nnetwork:\n  presets: [anthropic]\n"
                + "  mcp: allow\n");
        CliRun run = CliRun.of("generate", "-C", repo.toString()).exits(0);
        assertTrue(run.err().contains("mcp: allowed mcp.docs.example.com:443 (from .mcp.json server docs)"), run.err());
        assertTrue(run.err().contains("mcp: allowed tickets.example.org:8443 (from .mcp.json server tickets)"),
                run.err());
        String policy = Files.readString(repo.resolve(".devcontainer/claude-devc-policy.conf"));
        assertTrue(policy.contains("#   allow mcp.docs.example.com:443  .mcp.json server docs: mcp.docs.example.com:443\n"), policy);
        assertTrue(policy.contains("# .mcp.json server files (stdio) runs inside the box"), policy);
        assertTrue(policy.contains("#   allow tickets.example.org:8443  .mcp.json server tickets: tickets.example.org:8443\n"), policy);
        JsonNode settings = new ObjectMapper().readTree(repo.resolve(".devcontainer/claude-code-managed-settings.json")
                .toFile());
        List<String> allowed = new ArrayList<>();
        settings.path("sandbox").path("network").path("allowedDomains").forEach(n -> allowed.add(n.asText()));
        assertTrue(allowed.contains("mcp.docs.example.com:443") && allowed.contains("tickets.example.org:8443"),
                allowed.toString());
        assertFalse(allowed.contains("mcp.docs.example.com:80"), "only the URL's port: " + allowed);
        CliRun.of("generate", "--check", "-C", repo.toString()).exits(0);
    }

    /**
     * Review: with mcp: allow, .mcp.json is policy (its remote hosts become allow entries), yet it was writable in
     * the box: the agent pointed a server at evil.test and the user's next apply made evil.test live (reproduced on
     * a running enforce box). It is a protected path then: mounted read-only, edits denied to Claude Code, a
     * placeholder made by the host step when missing (read as no servers); without mcp: allow it stays the
     * project's.
     */
    @Test
    void withMcpAllowTheFileIsProtectedInTheBoxAndItsPlaceholderIsNoServers() throws IOException {
        fixture("remote");
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: mcp-app\nnetwork:\n  presets: [anthropic]\n"
                + "  mcp: allow\n");
        CliRun.of("generate", "-C", repo.toString()).exits(0);
        String devcontainer = Files.readString(repo.resolve(".devcontainer/devcontainer.json"));
        assertTrue(devcontainer.contains("\"source=${localWorkspaceFolder}/.mcp.json,target=/workspace/.mcp.json,"
                + "type=bind,readonly\""), devcontainer);
        String settings = Files.readString(repo.resolve(".devcontainer/claude-code-managed-settings.json"));
        assertTrue(settings.contains("\"Edit(//workspace/.mcp.json)\""), settings);
        String hostStep = Files.readString(repo.resolve(".devcontainer/claude-devc-host.sh"));
        assertTrue(hostStep.contains("[ -e '.mcp.json' ] ||"), hostStep);
        Files.writeString(repo.resolve(".mcp.json"), "");
        CliRun.of("generate", "-C", repo.toString()).exits(0);
        assertFalse(Files.readString(repo.resolve(".devcontainer/claude-devc-policy.conf")).contains("example.com"));

        Files.writeString(repo.resolve("claude-devc.yaml"), "name: mcp-app\nnetwork:\n  presets: [anthropic]\n");
        CliRun.of("generate", "-C", repo.toString()).exits(0);
        assertFalse(Files.readString(repo.resolve(".devcontainer/devcontainer.json")).contains(".mcp.json"),
                "without mcp: allow the file is not policy");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "malformed|.mcp.json:3:29: not valid JSON",
        "bad-url|.mcp.json:4:37: mcpServers.evil.url: 'https://user@evil example.com/' is not an http(s) URL",
        "env-url|.mcp.json:3:40: mcpServers.internal.url: '${MCP_URL:-https://internal.example.com}/sse' takes its"
            + " address from an environment variable"})
    void aMalformedFileOrUrlIsALocatedErrorAndNothingIsWritten(String name, String message) throws IOException {
        fixture(name);
        CliRun init = CliRun.of("init", "-C", repo.toString()).exits(ExitCodes.INVALID_DESCRIPTOR);
        assertTrue(init.err().contains(message), init.err());
        assertFalse(Files.exists(repo.resolve("claude-devc.yaml")), "init wrote nothing");
        assertFalse(Files.exists(repo.resolve(".devcontainer")), "init wrote nothing");
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: mcp-app\nnetwork:\n  mcp: allow\n");
        CliRun generate = CliRun.of("generate", "-C", repo.toString()).exits(ExitCodes.INVALID_DESCRIPTOR);
        assertTrue(generate.err().contains(message), generate.err());
        assertFalse(Files.exists(repo.resolve(".devcontainer")), "generate wrote nothing");
    }

    @Test
    void withoutMcpAllowGenerateIgnoresTheFile() throws IOException {
        fixture("bad-url");
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: mcp-app\n");
        CliRun.of("generate", "-C", repo.toString()).exits(0);
        assertEquals(false, Files.readString(repo.resolve(".devcontainer/claude-devc-policy.conf")).contains("docs"));
    }
}
