package dev.claudedevc.cli;

import static dev.claudedevc.docker.FakeEngine.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudedevc.docker.ExecResult;
import dev.claudedevc.docker.FakeEngine;
import dev.claudedevc.docker.RunningContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check HOST[:PORT]}: the decision, the deciding entry and where it came from, exit 0 allowed / 12 denied /
 * 2 for input that is not one destination; and with {@code --container}, the live box's answer.
 */
class CheckCommandTest {

    @TempDir
    Path project;

    @BeforeEach
    void descriptor() throws IOException {
        Files.writeString(project.resolve("claude-devc.yaml"), """
                name: demo
                network:
                  presets: [npm]
                  allowedDomains:
                    - api.example.com
                    - "*.cdn.example.com:8443"
                  deniedDomains: [evil.cdn.example.com]
                """);
    }

    private CliRun check(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "check";
        all[1] = "-C";
        all[2] = project.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRun.of(all);
    }

    @Test
    void anAllowedPresetHostNamesThePresetAndWhereItIsNamed() {
        CliRun run = check("registry.npmjs.org").exits(ExitCodes.OK);
        assertEquals("""
                allowed: registry.npmjs.org:443
                  registry.npmjs.org:443 is allowed by registry.npmjs.org
                  registry.npmjs.org (port(s) 443,80) from preset npm: registry.npmjs.org (network.presets[0] at \
                claude-devc.yaml:3:13)
                """, run.out());
    }

    @Test
    void aDescriptorEntryIsNamedByItsLineAndColumn() {
        CliRun run = check("img.cdn.example.com:8443").exits(ExitCodes.OK);
        assertTrue(run.out().contains("*.cdn.example.com:8443 (port(s) 8443) from claude-devc.yaml:6:7"
                + " (network.allowedDomains[1])"), run.out());
    }

    @Test
    void deniedNamesAnotherPortAndUnlistedHostsExit12WithTheirReason() {
        CliRun denied = check("evil.cdn.example.com:8443").exits(ExitCodes.DENIED);
        assertTrue(denied.out().startsWith("denied: evil.cdn.example.com:8443\n"), denied.out());
        assertTrue(denied.out().contains("from claude-devc.yaml:7:19 (network.deniedDomains[0])"), denied.out());
        CliRun port = check("api.example.com:22").exits(ExitCodes.DENIED);
        assertTrue(port.out().contains("allowed on port(s) 443, 80 only, not 22"), port.out());
        CliRun none = check("example.org").exits(ExitCodes.DENIED);
        assertEquals("denied: example.org:443\n  no entry allows example.org\n", none.out());
    }

    @Test
    void jsonHasTheOutcomeAndTheEntrysSource() throws IOException {
        JsonNode json = new ObjectMapper().readTree(check("--json", "registry.npmjs.org:80").exits(0).out());
        assertEquals("allowed", json.path("outcome").asText());
        assertEquals("registry.npmjs.org", json.path("host").asText());
        assertEquals(80, json.path("port").asInt());
        assertEquals("preset", json.path("entry").path("source").asText());
        assertEquals("npm", json.path("entry").path("origin").asText());
        assertEquals("network.presets[0]", json.path("entry").path("key").asText());
        assertEquals("claude-devc.yaml:3:13", json.path("entry").path("location").asText());
        JsonNode denied = new ObjectMapper().readTree(check("--json", "[2001:db8::1]:443").exits(12).out());
        assertEquals("denied", denied.path("outcome").asText());
        assertEquals("not-listed", denied.path("verdict").asText());
        assertEquals("2001:db8::1", denied.path("host").asText());
    }

    @Test
    void inputThatIsNotOneHostAndPortIsAUsageError() {
        for (String bad : List.of("*.example.com", "example.com:0", "example.com:70000", "exa mple.com",
                "no_dots", "[2001:db8::1", "example.com:https", "300.1.1.1")) {
            CliRun run = check(bad).exits(ExitCodes.USAGE);
            assertTrue(run.err().contains("HOST[:PORT]: '"), bad + ": " + run.err());
        }
    }

    @Test
    void theLiveContainersFirewallAnswersThroughTheDockerApi() {
        FakeEngine engine = new FakeEngine().running(new RunningContainer("c1", "box", "sha256:i", Map.of()))
                .onExec("c1", "root", List.of("/usr/local/sbin/claude-devc-firewall", "status"),
                        ok("result=ok\nmode=enforce\n"))
                .onExec("c1", "root", List.of("dig", "+time=3", "+tries=1", "+noall", "+comments", "+answer",
                        "@127.0.0.1", "registry.npmjs.org", "A"), ok(";; Got answer:\n"
                        + ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1\n"
                        + "registry.npmjs.org.\t300\tIN\tA\t104.16.0.34\n"))
                .onExec("c1", "root", List.of("dig"), ok(";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 2\n"))
                .onExec("c1", "root", List.of("iptables"), ok("-P OUTPUT DROP\n-A OUTPUT -p tcp -m multiport"
                        + " --dports 53,853 -j CDV-DENY\n-A OUTPUT -p tcp -m set --match-set cdv-g0-4 dst -m"
                        + " multiport --dports 443,80 -j CDV-ALLOW\n"))
                .onExec("c1", "root", List.of("ip6tables"), ok("-P OUTPUT DROP\n"))
                .onExec("c1", "root", List.of("ipset", "list", "-n"), ok("cdv-g0-4\ncdv-g0-6\ncdv-private-4\n"))
                .onExec("c1", "root", List.of("ipset", "test", "cdv-g0-4"), ok(""))
                .onExec("c1", "root", List.of("ipset", "test"), new ExecResult(1, "is NOT in set", false));
        CliRun allowed = CliRun.with(() -> engine, "check", "-C", project.toString(), "--container", "box",
                "registry.npmjs.org").exits(ExitCodes.OK);
        assertTrue(allowed.out().startsWith("allowed: registry.npmjs.org:443 (in box)\n  104.16.0.34 is in the allow"
                + " set cdv-g0-4, open on port(s) 443,80"), allowed.out());
        CliRun otherPort = CliRun.with(() -> engine, "check", "-C", project.toString(), "--container", "box",
                "registry.npmjs.org:8080").exits(ExitCodes.DENIED);
        assertTrue(otherPort.out().contains("(cdv-g0-4 443,80) are not open on port 8080"), otherPort.out());
        CliRun dns = CliRun.with(() -> engine, "check", "-C", project.toString(), "--container", "box",
                "registry.npmjs.org:53").exits(ExitCodes.DENIED);
        assertTrue(dns.out().contains("port 53 is DNS"), dns.out());
        assertEquals("", allowed.err() + otherPort.err() + dns.err(), "the box and the descriptor agree");
    }

    @Test
    void aBoxThatRunsAnotherPolicyThanTheDescriptorsIsNamed() {
        FakeEngine engine = new FakeEngine().running(new RunningContainer("c1", "box", "sha256:i", Map.of()))
                .onExec("c1", "root", List.of("/usr/local/sbin/claude-devc-firewall", "status"),
                        ok("result=ok\nmode=enforce\n"))
                .onExec("c1", "root", List.of("dig"), ok(";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 3\n"));
        CliRun run = CliRun.with(() -> engine, "check", "-C", project.toString(), "--container", "box",
                "api.example.com").exits(ExitCodes.DENIED);
        assertTrue(run.err().contains("the descriptor's policy says allowed") && run.err().contains(
                "apply --container box"), run.err());
    }

    @Test
    void aNameTheLiveResolverRefusesIsDenied() {
        FakeEngine engine = new FakeEngine().running(new RunningContainer("c1", "box", "sha256:i", Map.of()))
                .onExec("c1", "root", List.of("/usr/local/sbin/claude-devc-firewall", "status"),
                        ok("result=ok\nmode=enforce\n"))
                .onExec("c1", "root", List.of("dig"), ok(";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 3\n"));
        CliRun run = CliRun.with(() -> engine, "check", "-C", project.toString(), "--container", "box", "--json",
                "exfil.example.org").exits(ExitCodes.DENIED);
        assertTrue(run.out().contains("\"outcome\" : \"denied\"") && run.out().contains("answers NXDOMAIN"),
                run.out());
    }
}
