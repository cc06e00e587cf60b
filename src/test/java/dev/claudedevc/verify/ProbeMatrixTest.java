package dev.claudedevc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.model.Cidr;
import dev.claudedevc.model.DomainRule;
import dev.claudedevc.model.Endpoint;
import dev.claudedevc.model.NetworkPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The verification matrix: which probes run, what each expects, what each targets. */
class ProbeMatrixTest {

    static final String S4 = "172.18.0.3";
    static final String S6 = "fd00:1:2:3::3";

    static DomainRule exact(String host) {
        return new DomainRule(DomainRule.Kind.EXACT, host, OptionalInt.empty());
    }

    static NetworkPolicy policy(NetworkPolicy.Mode mode, List<DomainRule> allowed, List<Cidr> cidrs,
            List<Endpoint> verifyAllow) {
        return new NetworkPolicy(mode, NetworkPolicy.Ipv6Mode.FILTER, List.of(), allowed, List.of(), cidrs, List.of(),
                List.of(443, 80), List.of(), verifyAllow, List.of());
    }

    static NetworkPolicy standard() {
        return policy(NetworkPolicy.Mode.ENFORCE, List.of(exact("allowed.test")), List.of(),
                List.of(new Endpoint("allowed.test", 443)));
    }

    static Map<String, Probe> matrix(NetworkPolicy policy, Optional<String> ipv6) {
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
        Map<String, Probe> m = matrix(policy(NetworkPolicy.Mode.ENFORCE, List.of(), List.of(), List.of()),
                Optional.of(S6));
        assertFalse(m.containsKey("allow-1"));
        assertTrue(m.get("allowed-host-other-port").notApplicable().orElseThrow().contains("no must-allow target"));
    }

    @Test
    void inAuditModeEscapesAreNotApplicableButPrivilegesStillCount() {
        Map<String, Probe> m = matrix(policy(NetworkPolicy.Mode.AUDIT, List.of(exact("allowed.test")), List.of(),
                List.of(new Endpoint("allowed.test", 443))), Optional.of(S6));
        assertTrue(m.get("direct-ipv4").notApplicable().orElseThrow().startsWith("audit mode"));
        assertTrue(m.get("dns-udp").notApplicable().isPresent());
        assertTrue(m.get("allow-1").notApplicable().isEmpty());
        assertTrue(m.get("sudo-args").notApplicable().isEmpty());
        assertTrue(m.get("iptables-flush").notApplicable().isEmpty());
    }

    @Test
    void theEscapeNameAvoidsWhatThePolicyAllows() {
        NetworkPolicy wildcardTest = policy(NetworkPolicy.Mode.ENFORCE,
                List.of(new DomainRule(DomainRule.Kind.SUBDOMAINS, "test", OptionalInt.empty())), List.of(), List.of());
        assertEquals(Optional.of("claude-devc-escape-abcd.invalid"), ProbeMatrix.escapeName(wildcardTest, "abcd"));
        assertEquals(Optional.of("claude-devc-escape-abcd.test"), ProbeMatrix.escapeName(standard(), "abcd"));
        NetworkPolicy all = policy(NetworkPolicy.Mode.ENFORCE, List.of(
                new DomainRule(DomainRule.Kind.SUBDOMAINS, "test", OptionalInt.empty()),
                new DomainRule(DomainRule.Kind.SUBDOMAINS, "invalid", OptionalInt.empty()),
                new DomainRule(DomainRule.Kind.SUBDOMAINS, "example", OptionalInt.empty())), List.of(), List.of());
        assertEquals(Optional.empty(), ProbeMatrix.escapeName(all, "abcd"));
        assertTrue(matrix(all, Optional.empty()).get("name").notApplicable().isPresent());
        assertThrows(IllegalArgumentException.class, () -> ProbeMatrix.escapeName(standard(), "NOT-HEX"));
    }

    @Test
    void theOtherPortIsOneThePolicyDoesNotAllowForThatHost() {
        NetworkPolicy withPort = policy(NetworkPolicy.Mode.ENFORCE,
                List.of(new DomainRule(DomainRule.Kind.EXACT, "allowed.test", OptionalInt.of(8443)),
                        exact("allowed.test")), List.of(), List.of(new Endpoint("allowed.test", 8443)));
        assertEquals(Set.of(80, 443, 8443), ProbeMatrix.allowedPorts(withPort, "allowed.test"));
        assertEquals(List.of("allowed.test", "8080"),
                matrix(withPort, Optional.empty()).get("allowed-host-other-port").command().subList(6, 8));
    }

    @Test
    void aSidecarInsideAnAllowedRangeCannotProveDirectIpBlocking() {
        NetworkPolicy lan = policy(NetworkPolicy.Mode.ENFORCE, List.of(), List.of(new Cidr("172.16.0.0", 12, false)),
                List.of());
        Map<String, Probe> m = matrix(lan, Optional.of(S6));
        assertEquals(Optional.of(S4 + " is inside the allowed range 172.16.0.0/12"),
                m.get("direct-ipv4").notApplicable());
        assertTrue(m.get("direct-ipv6").notApplicable().isEmpty());
        assertTrue(ProbeMatrix.contains("fd00::", 8, S6));
        assertFalse(ProbeMatrix.contains("fd01::", 16, S6));
        assertFalse(ProbeMatrix.contains("172.16.0.0", 12, S6));
        assertTrue(ProbeMatrix.contains("0.0.0.0", 0, S4));
    }

    @Test
    void aPostStartStringIsShownAsWritten() {
        assertEquals("sudo /usr/local/sbin/claude-devc-firewall",
                ProbeMatrix.display(List.of("/bin/sh", "-c", "sudo /usr/local/sbin/claude-devc-firewall")));
        assertEquals("no postStartCommand", ProbeMatrix.display(List.of()));
    }
}
