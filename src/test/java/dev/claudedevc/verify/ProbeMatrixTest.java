package dev.claudedevc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.policy.EffectivePolicy;
import dev.claudedevc.policy.TestPolicies;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The verification matrix: which probes run, what each expects, what each targets. */
class ProbeMatrixTest {

    static final String S4 = "172.18.0.3";
    static final String S6 = "fd00:1:2:3::3";

    /** A policy of these network keys (YAML lines at the network level). */
    static EffectivePolicy policy(String network) {
        return TestPolicies.of("name: p\nnetwork:\n" + network.indent(2));
    }

    static EffectivePolicy standard() {
        return policy("allowedDomains: [allowed.test]\nverify:\n  allow: [allowed.test]\n");
    }

    static Map<String, Probe> matrix(EffectivePolicy policy, Optional<String> ipv6) {
        return ProbeMatrix.build(new ProbeMatrix.Input(policy, ProbeMatrix.FIREWALL_COMMAND, S4, ipv6,
                ProbeMatrix.escapeName(policy, "abcd1234"), "claude-devc-exfil-abcd1234.test")).stream()
                .collect(Collectors.toMap(Probe::id, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
    }

    @Test
    void theStandardMatrixInOrderWithTheFlushLast() {
        Map<String, Probe> m = matrix(standard(), Optional.of(S6));
        assertEquals(List.of("firewall", "status", "allow-1", "name", "direct-ipv4", "direct-ipv6", "dns-udp", "dns-tcp",
                "dns-ipv6", "dns-docker", "dot", "allowed-host-other-port", "ssh", "root-path", "sudo-args", "sudo-env",
                "policy-write", "script-write", "ipset-flush", "iptables-flush"), List.copyOf(m.keySet()));
        assertTrue(m.values().stream().allMatch(p -> p.notApplicable().isEmpty()), m.toString());
        assertTrue(m.get("firewall").mustReach() && m.get("status").mustReach() && m.get("allow-1").mustReach());
        assertEquals(3, m.values().stream().filter(Probe::mustReach).count(), "only the firewall, its status and allows");
    }

    @Test
    void denyProbesTargetOnlyTheSidecarOrTheAllowedHost() {
        Map<String, Probe> m = matrix(standard(), Optional.of(S6));
        assertEquals(List.of("timeout", "5", "bash", "-c", "exec 3<>\"/dev/tcp/$1/$2\"", "claude-devc-probe", S4,
                "443"), m.get("direct-ipv4").command());
        assertEquals(List.of("dig", "+time=2", "+tries=1", "+tcp", "@" + S4, "claude-devc-exfil-abcd1234.test", "A"),
                m.get("dns-tcp").command());
        assertTrue(m.get("dns-udp").command().contains("+notcp"));
        assertEquals("@" + S6, m.get("dns-ipv6").command().get(4));
        assertEquals("@127.0.0.11", m.get("dns-docker").command().get(4));
        assertEquals("claude-devc-escape-abcd1234.test", m.get("dns-docker").command().get(5));
        assertEquals(List.of(S4, "853"), m.get("dot").command().subList(6, 8));
        assertEquals(List.of(S4, "22"), m.get("ssh").command().subList(6, 8));
        assertEquals(List.of(S6, "443"), m.get("direct-ipv6").command().subList(6, 8));
        assertEquals(List.of("allowed.test", "8443"), m.get("allowed-host-other-port").command().subList(6, 8));
        for (Probe p : m.values()) {
            if (p.check() == Check.TCP || p.check() == Check.DNS || p.check() == Check.RESOLVE) {
                String text = String.join(" ", p.command());
                assertTrue(p.mustReach() || text.contains(S4) || text.contains(S6) || text.contains("allowed.test")
                        || text.contains("claude-devc-escape-"), p.toString());
            }
        }
    }

    @Test
    void everyDenyProbeOnTheSidecarHasABaselineButNotTheAllowedHost() {
        Map<String, Probe> m = matrix(standard(), Optional.of(S6));
        for (String id : List.of("name", "direct-ipv4", "direct-ipv6", "dns-udp", "dns-tcp", "dns-ipv6",
                "dns-docker", "dot", "ssh")) {
            assertTrue(m.get(id).baseline(), id);
        }
        assertFalse(m.get("allowed-host-other-port").baseline(), "no unfirewalled traffic to an allowed host");
        assertFalse(m.get("allow-1").baseline());
    }

    @Test
    void sudoAndPrivilegeProbesUseTheInstalledPaths() {
        Map<String, Probe> m = matrix(standard(), Optional.empty());
        assertEquals(List.of("sudo", "-n", ProbeMatrix.FIREWALL, "--policy", "/tmp/policy.conf"), m.get("sudo-args").command());
        assertEquals(List.of("sudo", "-n", "BASH_ENV=/dev/null", ProbeMatrix.FIREWALL), m.get("sudo-env").command());
        assertEquals(ProbeMatrix.POLICY, m.get("policy-write").command().get(4));
        assertEquals(List.of("iptables", "-w", "5", "-F"), m.get("iptables-flush").command());
    }

    @Test
    void withoutIpv6TheIpv6ProbesAreNotApplicable() {
        Map<String, Probe> m = matrix(standard(), Optional.empty());
        assertEquals(Optional.of("the network has no IPv6"), m.get("direct-ipv6").notApplicable());
        assertEquals(Optional.of("the network has no IPv6"), m.get("dns-ipv6").notApplicable());
        assertTrue(m.get("direct-ipv4").notApplicable().isEmpty());
    }

    @Test
    void withoutMustAllowTargetsTheOtherPortProbeIsNotApplicable() {
        Map<String, Probe> m = matrix(policy("mode: enforce\n"), Optional.of(S6));
        assertFalse(m.containsKey("allow-1"));
        assertTrue(m.get("allowed-host-other-port").notApplicable().orElseThrow().contains("no must-allow target"));
    }

    @Test
    void inAuditModeEscapesAreNotApplicableButPrivilegesStillCount() {
        Map<String, Probe> m = matrix(policy("mode: audit\nallowedDomains: [allowed.test]\nverify:\n"
                + "  allow: [allowed.test]\n"), Optional.of(S6));
        assertTrue(m.get("direct-ipv4").notApplicable().orElseThrow().startsWith("audit mode"));
        assertTrue(m.get("dns-udp").notApplicable().isPresent());
        assertTrue(m.get("allow-1").notApplicable().isEmpty());
        assertTrue(m.get("sudo-args").notApplicable().isEmpty());
        assertTrue(m.get("iptables-flush").notApplicable().isEmpty());
    }

    @Test
    void theEscapeNameAvoidsWhatThePolicyResolves() {
        EffectivePolicy first = policy("allowedDomains: [claude-devc-escape-abcd.test]\n");
        assertEquals(Optional.of("claude-devc-escape-abcd.invalid"), ProbeMatrix.escapeName(first, "abcd"));
        assertEquals(Optional.of("claude-devc-escape-abcd.test"), ProbeMatrix.escapeName(standard(), "abcd"));
        EffectivePolicy all = policy("allowedDomains: [claude-devc-escape-abcd.test, claude-devc-escape-abcd.invalid,"
                + " claude-devc-escape-abcd.example]\n");
        assertEquals(Optional.empty(), ProbeMatrix.escapeName(all, "abcd"));
        assertEquals(Optional.of("claude-devc-escape-abcd.example"), ProbeMatrix.escapeName(policy(
                "allowedDomains: [claude-devc-escape-abcd.test, claude-devc-escape-abcd.invalid]\n"), "abcd"));
        assertTrue(matrix(policy("allowedDomains: [claude-devc-escape-abcd1234.test,"
                + " claude-devc-escape-abcd1234.invalid, claude-devc-escape-abcd1234.example]\n"), Optional.empty())
                .get("name").notApplicable().isPresent());
        assertThrows(IllegalArgumentException.class, () -> ProbeMatrix.escapeName(standard(), "NOT-HEX"));
    }

    @Test
    void aPresetsNameIsNotAnEscapeNameEither() {
        // A team's preset could allow a name under .test; the escape must avoid it like the descriptor's own.
        EffectivePolicy p = policy("allowedDomains: [\"*.abcd.test\"]\n");
        assertEquals(Optional.of("claude-devc-escape-abcd.test"), ProbeMatrix.escapeName(p, "abcd"),
                "*.abcd.test does not cover a name beside it");
    }

    @Test
    void theOtherPortIsOneThePolicyDoesNotAllowForThatHost() {
        EffectivePolicy withPort = policy("allowedDomains: [\"allowed.test:8443\", allowed.test]\nverify:\n"
                + "  allow: [\"allowed.test:8443\"]\n");
        assertEquals(List.of("allowed.test", "8080"),
                matrix(withPort, Optional.empty()).get("allowed-host-other-port").command().subList(6, 8));
    }

    @Test
    void aSidecarInsideAnAllowedRangeCannotProveDirectIpBlockingOnTheRangesPorts() {
        EffectivePolicy lan = policy("allowedCidrs: [172.16.0.0/12]\n");
        Map<String, Probe> m = matrix(lan, Optional.of(S6));
        assertEquals(Optional.of(S4 + ":443 is allowed by 172.16.0.0/12 from claude-devc.yaml:3:18"
                + " (network.allowedCidrs[0])"), m.get("direct-ipv4").notApplicable());
        assertTrue(m.get("direct-ipv6").notApplicable().isEmpty());
        assertTrue(m.get("ssh").notApplicable().isEmpty(), "the range opens 443 and 80, not 22: still probed");
    }

    @Test
    void aPostStartStringIsShownAsWritten() {
        assertEquals("sudo /usr/local/sbin/claude-devc-firewall",
                ProbeMatrix.display(List.of("/bin/sh", "-c", "sudo /usr/local/sbin/claude-devc-firewall")));
        assertEquals("no postStartCommand", ProbeMatrix.display(List.of()));
    }
}
