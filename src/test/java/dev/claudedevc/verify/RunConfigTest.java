package dev.claudedevc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.ClaudeDevcException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify starts the image the way devcontainer.json says: its capabilities, sysctls and post-start command. */
class RunConfigTest {

    @Test
    void readsCapabilitiesSysctlsAndThePostStartStringFromJsonc() {
        RunConfig run = RunConfig.parse("""
                // generated
                {
                  "runArgs": ["--cap-add=NET_ADMIN", "--cap-add", "cap_net_raw", "--sysctl",
                              "net.ipv6.conf.all.disable_ipv6=1", "--init", "--label=x=y",],
                  "postStartCommand": "sudo /usr/local/sbin/claude-devc-firewall", /* applies it */
                }
                """, "devcontainer.json");
        assertEquals(List.of("NET_ADMIN", "NET_RAW"), run.capAdd());
        assertEquals(Map.of("net.ipv6.conf.all.disable_ipv6", "1"), run.sysctls());
        assertEquals(List.of("/bin/sh", "-c", "sudo /usr/local/sbin/claude-devc-firewall"), run.firewallCommand());
    }

    @Test
    void anArrayPostStartRunsAsIs() {
        assertEquals(List.of("sudo", "/usr/local/sbin/claude-devc-firewall"), RunConfig.parse(
                "{\"postStartCommand\": [\"sudo\", \"/usr/local/sbin/claude-devc-firewall\"]}", "x").firewallCommand());
    }

    @Test
    void anObjectPostStartRunsEachCommandPassedAsArguments() {
        List<String> command = RunConfig.parse("{\"postStartCommand\": {\"fw\": \"sudo fw\", \"hi\": \"echo 'hi'\"}}",
                "x").firewallCommand();
        assertEquals(List.of("/bin/sh", "-c", "set -e; /bin/sh -c \"$1\"; /bin/sh -c \"$2\"", "sh", "sudo fw",
                "echo 'hi'"), command);
    }

    @Test
    void withoutAPostStartCommandNothingAppliesTheFirewall() {
        RunConfig run = RunConfig.parse("{\"runArgs\": []}", "x");
        assertEquals(List.of(), run.firewallCommand());
        assertEquals(List.of(), run.capAdd());
    }

    @Test
    void malformedRunArgsAreInvalidOutput() {
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class,
                () -> RunConfig.parse("{\"runArgs\": [\"--cap-add=NET ADMIN\"]}", "dc.json"));
        assertEquals(ClaudeDevcException.Kind.INVALID_OUTPUT, e.kind());
        assertEquals("dc.json: runArgs: not a capability: NET ADMIN", e.getMessage());
        assertThrows(ClaudeDevcException.class, () -> RunConfig.parse("{\"runArgs\": [\"--cap-add\"]}", "x"));
        assertThrows(ClaudeDevcException.class, () -> RunConfig.parse("[1]", "x"));
    }

    @Test
    void aMissingFileMeansTheGeneratedDefaults(@TempDir Path dir) {
        RunConfig run = RunConfig.read(dir.resolve("devcontainer.json"));
        assertEquals(RunConfig.DEFAULT, run);
        assertTrue(run.capAdd().contains("NET_ADMIN"));
    }
}
