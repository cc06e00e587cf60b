package dev.claudedevc.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.policy.EffectivePolicy;
import dev.claudedevc.policy.TestPolicies;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Proposals from the firewall's records, in the formats firewall/README.md documents (lines from a real run). */
class AuditorTest {

    private static EffectivePolicy policy(String network) {
        return TestPolicies.of("name: audit\nnetwork:\n" + network);
    }

    private static final EffectivePolicy ENFORCE = policy("""
              allowedDomains: [allowed.test, "*.cdn.test"]
              deniedDomains: [evil.cdn.test]
            """);

    private static String log(String... events) {
        StringBuilder out = new StringBuilder("Nov 28 18:07:42 dnsmasq[56]: started, version 2.90 cache disabled\n");
        for (String e : events) {
            out.append("Nov 28 18:07:48 dnsmasq[56]: ").append(e).append('\n');
        }
        return out.toString();
    }

    private static List<String> entries(Auditor.Report report) {
        return report.proposals().stream().map(Auditor.Proposal::entry).toList();
    }

    @Test
    void namesTheResolverRefusedAreProposedMostFrequentFirst() {
        Auditor.Report report = Auditor.audit(ENFORCE, log(
                "query[A] once.test from 127.0.0.1", "config once.test is NXDOMAIN",
                "query[A] unlisted.test from 127.0.0.1", "config unlisted.test is NXDOMAIN",
                "query[AAAA] unlisted.test from 127.0.0.1", "config unlisted.test is NXDOMAIN",
                "query[A] allowed.test from 127.0.0.1", "forwarded allowed.test to 127.0.0.11"), "");
        assertEquals(List.of("unlisted.test", "once.test"), entries(report));
        assertEquals(2, report.proposals().get(0).hits());
    }

    @Test
    void theApexOfAWildcardIsProposedButItsSubdomainsAreAlreadyAllowed() {
        Auditor.Report report = Auditor.audit(ENFORCE, log(
                "query[A] cdn.test from 127.0.0.1", "config cdn.test is NXDOMAIN",
                "query[A] img.cdn.test from 127.0.0.1", "forwarded img.cdn.test to 127.0.0.11"), "");
        assertEquals(List.of("cdn.test"), entries(report));
    }

    @Test
    void deniedNamesAreReportedButNeverProposed() {
        Auditor.Report report = Auditor.audit(ENFORCE, log(
                "query[A] evil.cdn.test from 127.0.0.1", "config evil.cdn.test is NXDOMAIN",
                "query[A] x.evil.cdn.test from 127.0.0.1", "config x.evil.cdn.test is NXDOMAIN"), "");
        assertEquals(List.of(), entries(report));
        assertEquals(Map.of("evil.cdn.test", 1, "x.evil.cdn.test", 1), report.denied());
    }

    @Test
    void inAuditModeForwardedNamesOutsideThePolicyAreProposed() {
        EffectivePolicy audit = policy("  mode: audit\n  allowedDomains: [allowed.test]\n");
        Auditor.Report report = Auditor.audit(audit, log(
                "query[A] pkg.example.test from 127.0.0.1", "forwarded pkg.example.test to 127.0.0.11",
                "reply pkg.example.test is 192.0.2.7",
                "query[A] allowed.test from 127.0.0.1", "forwarded allowed.test to 127.0.0.11"),
                "mode=audit\ndenied 192.0.2.7,tcp:443 packets=4\n");
        assertEquals("audit", report.mode());
        assertEquals(List.of("pkg.example.test"), entries(report));
    }

    @Test
    void aRejectedConnectionToAnAllowedNameOnAnotherPortProposesThatPort() {
        Auditor.Report report = Auditor.audit(ENFORCE, log(
                "query[A] allowed.test from 127.0.0.1", "forwarded allowed.test to 127.0.0.11",
                "reply allowed.test is 172.30.1.5",
                "query[AAAA] allowed.test from 127.0.0.1", "reply allowed.test is fd00:cd0:1::5"),
                "denied 172.30.1.5,tcp:8443 packets=2\ndenied FD00:CD0:1:0::5,tcp:8443 packets=1\n");
        assertEquals(List.of("allowed.test:8443"), entries(report));
        assertTrue(report.proposals().get(0).reason().contains("not allowed"), report.toString());
    }

    @Test
    void aDirectConnectionWithoutALookupIsProposedAsALiteralWithAWarning() {
        Auditor.Report report = Auditor.audit(ENFORCE, log(),
                "denied 198.51.100.4,tcp:22 packets=3\ndenied 2001:db8::9,tcp:443 packets=1\n");
        assertEquals(List.of("198.51.100.4:22", "[2001:db8::9]:443"), entries(report));
        assertTrue(report.proposals().get(0).reason().contains("prefer the host name"), report.toString());
    }

    @Test
    void anInternalAddressAnAllowedNameAnsweredIsANoteAboutPrivateAnswersNotAProposal() {
        Auditor.Report report = Auditor.audit(ENFORCE, log(
                "query[A] img.cdn.test from 127.0.0.1", "forwarded img.cdn.test to 127.0.0.11",
                "reply img.cdn.test is 169.254.169.254"),
                "denied 169.254.169.254,tcp:80 packets=2\nprivate-denied 169.254.169.254,tcp:80 packets=2\n");
        assertEquals(List.of(), entries(report));
        assertEquals(List.of("169.254.169.254 tcp/80 (2 packet(s)), answered for img.cdn.test, is an internal address"
                + " and was refused; if it is meant to be reachable, add 169.254.169.254/32 to network.privateAnswers"),
                report.notes());
    }

    @Test
    void udpAndDnsPortsAreNotesNeverProposals() {
        Auditor.Report report = Auditor.audit(ENFORCE, log(),
                "denied 198.51.100.4,udp:443 packets=9\ndenied 198.51.100.5,tcp:853 packets=1\n"
                        + "denied 198.51.100.6,tcp:53 packets=1\n");
        assertEquals(List.of(), entries(report));
        assertEquals(3, report.notes().size(), report.notes().toString());
    }

    @Test
    void hostileOrMalformedRecordsAreSkippedNotEchoed() {
        Auditor.Report report = Auditor.audit(ENFORCE, log(
                "query[A] $(curl.evil).test from 127.0.0.1", "config $(curl.evil).test is NXDOMAIN",
                "query[A] a\"b.test from 127.0.0.1", "query[PTR] 4.3.2.1.in-addr.arpa from 127.0.0.1",
                "query[A] nodot from 127.0.0.1") + "garbage line\n",
                "denied 999.1.1.1,tcp:22 packets=1\ndenied 192.0.2.1,tcp:70000 packets=1\n");
        assertEquals(List.of(), entries(report));
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("skipped")), report.notes().toString());
    }
}
