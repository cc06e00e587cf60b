package dev.claudedevc.firewall;

import static dev.claudedevc.firewall.FirewallLab.Server.ALLOWED;
import static dev.claudedevc.firewall.FirewallLab.Server.BLOCKED;
import static dev.claudedevc.firewall.FirewallLab.Server.UPSTREAM2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.firewall.DevContainer.Exec;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

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
    @Execution(ExecutionMode.CONCURRENT)
    void upstreamResolverDownAtStartFailsLoudlyStaysClosedAndRecoversWhenItReturns() {
        lab.kill(UPSTREAM2);
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            // A resolver that is not Docker's embedded one: resolv.conf names it directly.
            // (Short resolver timeouts keep the test fast; the firewall keeps these options.)
            dev.asRoot("printf 'nameserver %s\\noptions ndots:0 timeout:1 attempts:1\\n' \"$1\" > /etc/resolv.conf",
                    lab.v4(UPSTREAM2)).succeeds();

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

    /**
     * The resolver's uid is what lets packets reach the upstream DNS server: an account sharing it (one the base
     * image brings, or added later), or a caller that has it, makes the apply refuse, closed.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void anAccountOrCallerWithTheResolversUidMakesTheApplyRefuseClosed() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            Exec asDnsUid = dev.asRoot("SUDO_UID=$(id -u claude-devc-dns) " + DevContainer.FIREWALL);
            assertEquals(1, asDnsUid.exitCode(), asDnsUid::text);
            assertTrue(asDnsUid.err().contains("the caller has the resolver's uid"), asDnsUid::text);
            assertTrue(asDnsUid.err().contains("stays blocked"), asDnsUid::text);
            dev.assertClosed();

            dev.asRoot("useradd -o -M -u \"$(id -u claude-devc-dns)\" intruder").succeeds();
            Exec applied = dev.applyFirewall();
            assertEquals(1, applied.exitCode(), applied::text);
            assertTrue(applied.err().contains("accounts claude-devc-dns,intruder share the resolver's uid"),
                    applied::text);
            assertTrue(dev.status().out().contains("result=failed\n"), dev.status()::text);
            dev.assertClosed();
            dev.connect4(lab.v4(ALLOWED), 443).isRejected();
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
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
    @Execution(ExecutionMode.CONCURRENT)
    void aSelfTestThatReachesADenyTargetFailsLoudlyAndLocksDown() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            dev.asRoot("echo 'verify-deny allowed.test 443' >> /etc/claude-devc/policy.conf").succeeds();
            Exec applied = dev.applyFirewall();
            assertEquals(1, applied.exitCode(), applied::text);
            assertTrue(applied.err().contains("deny allowed.test:443 FAILED (reachable)"), applied::text);
            assertTrue(applied.err().contains("the policy is not in force; outbound traffic stays blocked"),
                    applied::text);
            assertTrue(dev.status().out().contains("result=failed\n"), dev.status()::text);
            dev.assertClosed();
            dev.connect4(lab.v4(ALLOWED), 443).isRejected();
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void killedMidwayItIsClosedAtEveryPointAndTheNextRunWorks() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            dev.applyFirewall().succeeds();
            for (String delay : new String[] {"0.1", "0.4", "0.8", "1.2"}) {
                Exec killed = dev.asRoot("timeout -s KILL " + delay + " " + DevContainer.FIREWALL);
                // 137: killed; 0: it finished first (then it must be closed all the more).
                assertTrue(killed.exitCode() == 137 || killed.exitCode() == 0, killed::text);
                dev.assertClosed();
            }
            // SIGTERM once the lockdown is in place: the trap reports the failure and keeps it closed.
            Exec terminated = dev.asRoot("""
                    "$1" 2>/tmp/fw.err & pid=$!
                    for i in $(seq 1 500); do grep -q 'lockdown in place' /tmp/fw.err && break; sleep 0.01; done
                    kill -TERM "$pid"; wait "$pid"; echo "rc=$?"; cat /tmp/fw.err
                    """, DevContainer.FIREWALL);
            if (!terminated.out().startsWith("rc=0\n")) {
                assertTrue(terminated.out().startsWith("rc=1\n"), terminated::text);
                assertTrue(terminated.out().contains("interrupted by a signal; outbound traffic stays blocked"),
                        terminated::text);
                assertTrue(dev.status().out().contains("result=failed\n"), dev.status()::text);
            }
            dev.assertClosed();

            dev.applyFirewall().succeeds();
            dev.connect4("allowed.test", 443).reaches("allowed");
            dev.dig("blocked.test").isNxdomain();
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
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
    @Execution(ExecutionMode.CONCURRENT)
    void thousandsOfStaticCidrsAreLoadedInBulkNotOneProcessPerEntry() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            // Documentation and benchmark ranges: only loaded into the sets, never dialled. Added to the compiled
            // ipset file (before its group's swap) as generate would write them, with the header's digest updated.
            String group = "group=$(awk '$1 == \"create\" && $2 ~ /^cdv-s[0-9]+-4$/ {sub(/^cdv-s/, \"\", $2);"
                    + " sub(/-4$/, \"\", $2); print $2; exit}' /etc/claude-devc/ipsets.restore)\n";
            dev.asRoot(group + """
                    dir=/etc/claude-devc
                    for i in $(seq 0 2999); do echo "add cdv-t-cdv-s$group-4 198.18.$((i / 250)).$((i % 250))/32 -exist"; done >/tmp/v4
                    for i in $(seq 1 1000); do printf 'add cdv-t-cdv-s%s-6 2001:db8:%x::/48 -exist\\n' "$group" "$i"; done >/tmp/v6
                    awk -v g="$group" '$0 ~ "^swap cdv-t-cdv-s" g "-4 " {while ((getline l < "/tmp/v4") > 0) print l}
                      $0 ~ "^swap cdv-t-cdv-s" g "-6 " {while ((getline l < "/tmp/v6") > 0) print l} {print}' \
                      "$dir/ipsets.restore" >/tmp/ipsets && cat /tmp/ipsets >"$dir/ipsets.restore"
                    sum=$(sha256sum "$dir/ipsets.restore" | cut -d' ' -f1)
                    sed -i "s/^file ipsets.restore .*/file ipsets.restore $sum/" "$dir/policy.conf"
                    """).succeeds();
            Exec traced = dev.asRoot("bash -x " + DevContainer.FIREWALL + " 2>/tmp/trace; echo \"rc=$?\";"
                    + " grep -cE '^[+]+ ipset ' /tmp/trace; grep -E '^[+]+ ipset ' /tmp/trace");
            assertTrue(traced.out().startsWith("rc=0\n"), traced::text);
            int ipsetProcesses = Integer.parseInt(traced.out().split("\n")[1]);
            assertTrue(ipsetProcesses <= 3, traced::text);

            String counts = dev.asRoot(group + """
                    ipset list "cdv-s$group-4" | grep -c '^198[.]18[.]'
                    ipset list "cdv-s$group-6" | grep -c '^2001:db8:'
                    """).succeeds().out();
            assertEquals("3000\n1000\n", counts);
            dev.connect4("allowed.test", 443).reaches("allowed");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void anIpv6FilterTableThatCannotBeAppliedFailsLoudlyAndCutsIpv6Off() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            // The container has IPv6 addresses, but ip6tables-restore fails (as it would without kernel support).
            dev.asRoot("rm /usr/sbin/ip6tables-restore && printf '#!/bin/sh\\nexit 1\\n' > /usr/sbin/ip6tables-restore"
                    + " && chmod 0755 /usr/sbin/ip6tables-restore").succeeds();
            Exec applied = dev.applyFirewall();
            assertEquals(1, applied.exitCode(), applied::text);
            assertTrue(dev.status().out().contains("result=failed\n"), dev.status()::text);
            dev.connect6(lab.v6(BLOCKED), 443).fails();
            dev.connect6(lab.v6(ALLOWED), 443).fails();
            dev.connect4(lab.v4(BLOCKED), 443).isRejected();
            dev.connect4(lab.v4(ALLOWED), 443).isRejected();
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
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
