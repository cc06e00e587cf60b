package dev.claudedevc.firewall;

import static dev.claudedevc.firewall.FirewallLab.Server.ALLOWED;
import static dev.claudedevc.firewall.FirewallLab.Server.BLOCKED;
import static dev.claudedevc.firewall.FirewallLab.Server.NEIGHBOUR;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.firewall.DevContainer.Exec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** The other descriptor modes: audit (allow everything, record what enforce would deny) and IPv6 blocked. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirewallModesIT {

    private FirewallLab lab;

    @BeforeAll
    void lab() {
        lab = FirewallLab.shared();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void auditModeAllowsEverythingButRecordsWhatEnforceWouldDeny() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.AUDIT)) {
            Exec applied = dev.applyFirewall().succeeds();
            assertTrue(applied.err().contains("mode audit"), applied::text);
            String status = dev.status().succeeds().out();
            assertTrue(status.contains("mode=audit\n"), status);
            assertTrue(status.contains("check=deny blocked.test:443 skipped (audit mode)\n"), status);

            dev.connect4("blocked.test", 443).reaches("blocked");
            dev.connect6(lab.v6(BLOCKED), 22).reaches("blocked");
            dev.connect4(lab.v4(NEIGHBOUR), 443).reaches("neighbour");
            dev.connect4("allowed.test", 443).reaches("allowed");

            String log = dev.asUser("cat /var/log/claude-devc/dns.log").succeeds().out();
            assertTrue(log.contains("query[A] blocked.test"), log);
            String records = dev.asRoot(DevContainer.FIREWALL + " status").succeeds().out();
            assertTrue(records.contains("denied " + lab.v4(BLOCKED) + ",tcp:443 packets="), records);
            assertTrue(records.contains("denied " + lab.v6(BLOCKED) + ",tcp:22 packets="), records);
            assertTrue(records.contains("denied " + lab.v4(NEIGHBOUR) + ",tcp:443 packets="), records);
            assertTrue(!records.contains("denied " + lab.v4(ALLOWED) + ",tcp:443"), records);
            // Policies stay DROP: audit is a rule, not an open door.
            assertTrue(dev.asRoot("iptables -S | head -n 3").out().contains("-P OUTPUT DROP"));
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void ipv6BlockModeAllowsIpv6OnlyOnLoopback() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.IPV6_BLOCK)) {
            Exec applied = dev.applyFirewall().succeeds();
            assertTrue(applied.err().contains("ipv6 block"), applied::text);
            dev.connect4("allowed.test", 443).reaches("allowed");
            dev.connect6("allowed.test", 443).fails();
            dev.connect6(lab.v6(ALLOWED), 443).isRejected();
            dev.connect6(lab.v6(BLOCKED), 443).isRejected();
            assertTrue(dev.dig("AAAA", "allowed.test").answers().isEmpty());
            dev.dig("@::1", "allowed.test").answers(lab.v4(ALLOWED));
            dev.assertClosed();
        }
    }
}
