package dev.claudedevc.firewall;

import static dev.claudedevc.firewall.FirewallLab.Server.ALLOWED;
import static dev.claudedevc.firewall.FirewallLab.Server.UPSTREAM2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.firewall.DevContainer.Exec;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Faults while the firewall is applied, each in a fresh devcontainer of the enforce image. Every one must end
 * default-deny, with allowed traffic working wherever it can.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirewallFaultsIT {

    private FirewallLab lab;

    @BeforeAll
    void lab() {
        lab = FirewallLab.shared();
    }

    @Test
    void upstreamResolverDownAtStartFailsLoudlyStaysClosedAndRecoversWhenItReturns() {
        lab.kill(UPSTREAM2);
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            // A resolver that is not Docker's embedded one: resolv.conf names it directly.
            dev.asRoot("printf 'nameserver %s\\noptions ndots:0\\n' \"$1\" > /etc/resolv.conf", lab.v4(UPSTREAM2))
                    .succeeds();

            Exec applied = dev.applyFirewall();
            assertEquals(1, applied.exitCode(), applied::text);
            assertTrue(applied.err().contains("allow allowed.test:443 FAILED"), applied::text);
            assertTrue(dev.status().out().contains("result=failed\n"), dev.status()::text);
            dev.assertClosed();
            assertTrue(dev.dig("allowed.test").answers().isEmpty());
            dev.dig("@" + lab.v4(UPSTREAM2), "allowed.test").isRefusedOnTheWire();

            lab.startAgain(UPSTREAM2);
            DevContainer.eventually(Duration.ofSeconds(15), () -> dev.connect4("allowed.test", 443).reaches("allowed"));
            dev.dig("blocked.test").isNxdomain();
            dev.dig("@" + lab.v4(UPSTREAM2), "allowed.test").isRefusedOnTheWire();
            dev.assertClosed();
        } finally {
            try {
                lab.startAgain(UPSTREAM2);
            } catch (RuntimeException alreadyRunning) {
                // it was started above
            }
        }
    }

    @Test
    void anInvalidPolicyOnTheFirstRunLeavesTheContainerClosed() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            dev.asRoot("echo 'allow-everything please' >> /etc/claude-devc/policy.conf").succeeds();
            Exec applied = dev.applyFirewall();
            assertEquals(1, applied.exitCode(), applied::text);
            assertTrue(applied.err().contains("not understood"), applied::text);
            assertTrue(applied.err().contains("stays blocked"), applied::text);
            assertTrue(dev.status().out().contains("result=failed\n"), dev.status()::text);
            dev.assertClosed();
            dev.connect4(lab.v4(ALLOWED), 443).isRejected();
        }
    }

    @Test
    void killedMidwayItIsClosedAtEveryPointAndTheNextRunWorks() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            dev.applyFirewall().succeeds();
            for (String delay : new String[] {"0.1", "0.4", "0.8", "1.2"}) {
                Exec killed = dev.asRoot("timeout -s KILL " + delay + " " + DevContainer.FIREWALL);
                // 137: killed; 0: it finished first (then it must be closed all the more).
                assertTrue(killed.exitCode() == 137 || killed.exitCode() == 0, killed::text);
                dev.assertClosed();
            }
            Exec terminated = dev.asRoot("timeout -s TERM 0.3 " + DevContainer.FIREWALL);
            if (terminated.exitCode() == 124) {
                assertTrue(terminated.err().contains("stays blocked"), terminated::text);
                assertTrue(dev.status().out().contains("result=failed\n"), dev.status()::text);
            }
            dev.assertClosed();

            dev.applyFirewall().succeeds();
            dev.connect4("allowed.test", 443).reaches("allowed");
            dev.dig("blocked.test").isNxdomain();
        }
    }

    @Test
    void afterAContainerRestartTheNextStartAppliesItAgain() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            dev.applyFirewall().succeeds();
            dev.restart();
            // postStartCommand runs again at every start.
            dev.applyFirewall().succeeds();
            assertEquals("1", dev.asRoot("pgrep -u claude-devc-dns -x dnsmasq -r S,R,D | wc -l").out().strip());
            dev.connect4("allowed.test", 443).reaches("allowed");
            dev.connect6("allowed.test", 443).reaches("allowed");
            dev.dig("blocked.test").isNxdomain();
            dev.assertClosed();
        }
    }

    @Test
    void killingTheResolverOpensNothing() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            dev.applyFirewall().succeeds();
            dev.asRoot("pkill -u claude-devc-dns -x dnsmasq").succeeds();
            dev.connect4("allowed.test", 443).doesNotResolve();
            dev.assertClosed();
            Exec status = dev.status();
            assertEquals(1, status.exitCode(), status::text);
            assertTrue(status.out().contains("resolver=stopped\n"), status::text);

            dev.applyFirewall().succeeds();
            dev.connect4("allowed.test", 443).reaches("allowed");
        }
    }
}
