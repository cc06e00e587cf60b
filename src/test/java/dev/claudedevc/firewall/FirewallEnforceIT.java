package dev.claudedevc.firewall;

import static dev.claudedevc.firewall.FirewallLab.Server.ALLOWED;
import static dev.claudedevc.firewall.FirewallLab.Server.BLOCKED;
import static dev.claudedevc.firewall.FirewallLab.Server.CDN;
import static dev.claudedevc.firewall.FirewallLab.Server.GATEWAY;
import static dev.claudedevc.firewall.FirewallLab.Server.LITERAL;
import static dev.claudedevc.firewall.FirewallLab.Server.NEIGHBOUR;
import static dev.claudedevc.firewall.FirewallLab.Server.ROTATION_A;
import static dev.claudedevc.firewall.FirewallLab.Server.ROTATION_B;
import static dev.claudedevc.firewall.FirewallLab.Server.UPSTREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.firewall.DevContainer.Exec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The generated firewall in enforce mode (IPv6 filtered), applied once the way postStartCommand applies it, then
 * probed as the non-root user: what must work works, every escape in the list is blocked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirewallEnforceIT {

    private FirewallLab lab;
    private DevContainer dev;
    private String natBefore;
    private Exec applied;

    @BeforeAll
    void applyFirewall() {
        lab = FirewallLab.shared();
        dev = lab.start(FirewallLab.Variant.ENFORCE);
        natBefore = dev.asRoot("iptables-save -t nat | grep -v '^#'").succeeds().out();
        applied = dev.applyFirewall();
    }

    @AfterAll
    void stop() {
        if (dev != null) {
            dev.close();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Applying {

        @Test
        void succeedsThroughSudoWithTheSelfTestPassing() {
            applied.succeeds();
            assertTrue(applied.err().contains("self-test passed"), applied::text);
        }

        @Test
        void leavesDefaultDenyPoliciesOnBothFamilies() {
            dev.assertClosed();
        }

        @Test
        void leavesDockersEmbeddedDnsNatRulesIntact() {
            String natAfter = dev.asRoot("iptables-save -t nat | grep -v '^#'").succeeds().out();
            assertTrue(natBefore.contains("DOCKER_OUTPUT"), natBefore);
            assertEquals(natBefore, natAfter);
        }

        @Test
        void statusShowsModeCountsAndTheLastSelfTestToTheUser() {
            String status = dev.status().succeeds().out();
            assertTrue(status.contains("result=ok\n"), status);
            assertTrue(status.contains("mode=enforce\n"), status);
            assertTrue(status.contains("ipv6=filter\n"), status);
            assertTrue(status.contains("allowed_names=7\n"), status);
            assertTrue(status.contains("check=allow allowed.test:443 ok\n"), status);
            assertTrue(status.contains("check=deny blocked.test:443 ok\n"), status);
            assertTrue(status.contains("check=deny allowed.test:22 ok\n"), status);
            assertTrue(status.contains("check=policy DROP ok\n"), status);
        }

        @Test
        void anAllowlistedNameThatDoesNotResolveDoesNotAbortTheSetup() {
            applied.succeeds();
            dev.dig("gone.test").isNxdomain();
        }

        @Test
        void twoNamesSharingOneAddressBothWork() {
            dev.connect4("allowed.test", 443).reaches("allowed");
            dev.connect4("alias.test", 443).reaches("allowed");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Works {

        @Test
        void anAllowedNameOverIpv4() {
            dev.connect4("allowed.test", 443).reaches("allowed");
            dev.connect4("allowed.test", 80).reaches("allowed");
        }

        @Test
        void anAllowedNameOverIpv6WithNeighbourDiscoveryThroughTheFirewall() {
            dev.asRoot("ip -6 neigh flush all").succeeds();
            dev.connect6("allowed.test", 443).reaches("allowed");
        }

        @Test
        void aSubdomainOfAWildcardEntry() {
            dev.connect4("api.wild.test", 443).reaches("wild");
            dev.connect6("api.wild.test", 443).reaches("wild");
        }

        @Test
        void anAllowedHostPortEntryOnItsPort() {
            dev.connect4("ported.test", 8443).reaches("ported");
        }

        @Test
        void ipLiteralsOnTheirPorts() {
            dev.connect4(lab.v4(LITERAL), 443).reaches("literal");
            dev.connect4(lab.v4(LITERAL), 80).reaches("literal");
            dev.connect6(lab.v6(LITERAL), 443).reaches("literal");
            dev.connect6(lab.v6(LITERAL), 80).isRejected();
        }

        @Test
        void aNameWhoseAnswerIsACnameChain() {
            dev.connect4("cname.test", 443).reaches("cdn");
            dev.dig("edge.cdn.test").isNxdomain();
        }

        @Test
        void theHostPortTheDescriptorAllowsOnTheDockerHost() {
            dev.connect4("host.docker.internal", 8443).reaches("gateway");
            dev.connect4(lab.v4(GATEWAY), 22).isRejected();
            dev.connect4(lab.v4(GATEWAY), 443).isRejected();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Blocked {

        @Test
        void aNameNotOnTheAllowlistDoesNotResolve() {
            dev.dig("blocked.test").isNxdomain();
            dev.connect4("blocked.test", 443).doesNotResolve();
        }

        @Test
        void theApexOfAWildcardEntry() {
            dev.dig("wild.test").isNxdomain();
        }

        @Test
        void aSubdomainOfAnExactEntry() {
            dev.dig("sub.allowed.test").isNxdomain();
        }

        @Test
        void aDeniedNameUnderAnAllowedWildcard() {
            dev.dig("bad.wild.test").isNxdomain();
        }

        @Test
        void theDirectAddressOfANonAllowlistedServerOverIpv4AndIpv6() {
            dev.connect4(lab.v4(BLOCKED), 443).isRejected();
            dev.connect6(lab.v6(BLOCKED), 443).isRejected();
            dev.connect4(lab.v4(BLOCKED), 80).isRejected();
        }

        @Test
        void anAllowedHostOnAPortItIsNotAllowedOn() {
            dev.connect4("allowed.test", 8443).isRejected();
            dev.connect6("allowed.test", 8443).isRejected();
            dev.connect4("ported.test", 443).isRejected();
        }

        @Test
        void sshToAnyHost() {
            dev.connect4(lab.v4(BLOCKED), 22).isRejected();
            dev.connect4("allowed.test", 22).isRejected();
            dev.connect6("allowed.test", 22).isRejected();
        }

        @Test
        void udpAndTcpDnsToAForeignResolver() {
            dev.dig("@" + lab.v4(BLOCKED), "anything.test").isRefusedOnTheWire();
            dev.dig("+tcp", "@" + lab.v4(BLOCKED), "anything.test").isRefusedOnTheWire();
            dev.dig("@" + lab.v6(BLOCKED), "anything.test").isRefusedOnTheWire();
        }

        @Test
        void dnsToTheUpstreamResolverItself() {
            dev.dig("@" + lab.v4(UPSTREAM), "rot.test").isRefusedOnTheWire();
        }

        @Test
        void aDirectQueryToDockersEmbeddedDns() {
            dev.dig("@127.0.0.11", "blocked.test").isRefusedOnTheWire();
            dev.dig("+tcp", "@127.0.0.11", "blocked.test").isRefusedOnTheWire();
            dev.dig("@127.0.0.11", "allowed.test").isRefusedOnTheWire();
        }

        @Test
        void dnsOverTls() {
            dev.connect4(lab.v4(BLOCKED), 853).isRejected();
            dev.connect4("allowed.test", 853).isRejected();
        }

        @Test
        void aNeighbourContainerInTheSameSubnet() {
            dev.connect4(lab.v4(NEIGHBOUR), 443).isRejected();
            dev.connect4(lab.v4(NEIGHBOUR), 22).isRejected();
            dev.connect6(lab.v6(NEIGHBOUR), 443).isRejected();
        }

        @Test
        void sudoOfTheFirewallWithArgumentsOrEnvironment() {
            String before = dev.asRoot("iptables-save -t filter | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]//'").out();
            // `status` alone is the one argument sudo allows (the live check); it changes nothing (see below).
            dev.asUser("sudo -n " + DevContainer.FIREWALL + " status").succeeds();
            dev.asUser("sudo -n " + DevContainer.FIREWALL + " status --verbose").fails();
            dev.asUser("sudo -n " + DevContainer.FIREWALL + " wait").fails();
            dev.asUser("sudo -n " + DevContainer.FIREWALL + " --policy /tmp/open.conf").fails();
            dev.asUser("sudo -n POLICY=/tmp/open.conf " + DevContainer.FIREWALL).fails();
            dev.asUser("sudo -n -E " + DevContainer.FIREWALL).fails();
            dev.asUser("sudo -n /usr/sbin/iptables -P OUTPUT ACCEPT").fails();
            String after = dev.asRoot("iptables-save -t filter | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]//'").out();
            assertEquals(before, after);
        }

        @Test
        void theScriptItselfRefusesArguments() {
            Exec r = dev.asRoot(DevContainer.FIREWALL + " --allow-all");
            assertEquals(2, r.exitCode(), r::text);
            assertTrue(r.err().contains("usage:"), r::text);
        }

        @Test
        void theUserCannotFlushIptablesOrIpsets() {
            dev.asUser("iptables -F").fails();
            dev.asUser("iptables -P OUTPUT ACCEPT").fails();
            dev.asUser("ip6tables -F").fails();
            dev.asUser("ipset flush").fails();
            dev.asUser("ipset add cdv-g0-4 " + lab.v4(BLOCKED)).fails();
            dev.connect4(lab.v4(BLOCKED), 443).isRejected();
        }

        @Test
        void theUserCannotRewriteThePolicyTheScriptOrResolvConf() {
            dev.asUser("echo 'allow-net 0 0.0.0.0/1' >> /etc/claude-devc/policy.conf").fails();
            dev.asUser("echo true > " + DevContainer.FIREWALL).fails();
            dev.asUser("echo 'nameserver 127.0.0.11' > /etc/resolv.conf").fails();
            dev.asUser("echo x > /var/lib/claude-devc/status").fails();
            String owners = dev.asUser("stat -c '%U %a %n' " + DevContainer.FIREWALL
                    + " /etc/claude-devc/policy.conf /etc/sudoers.d/claude-devc-firewall").succeeds().out();
            assertEquals("root 755 " + DevContainer.FIREWALL + "\nroot 644 /etc/claude-devc/policy.conf\n"
                    + "root 440 /etc/sudoers.d/claude-devc-firewall\n", owners);
        }

        @Test
        void theUserCannotKillTheResolver() {
            dev.asUser("pkill -x dnsmasq").fails();
            dev.dig("allowed.test").answers(lab.v4(ALLOWED));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Records {

        @Test
        void deniedNamesAreInTheDnsLogTheUserCanRead() {
            dev.dig("never-allowed.test");
            String log = dev.asUser("cat /var/log/claude-devc/dns.log").succeeds().out();
            assertTrue(log.contains("config never-allowed.test is NXDOMAIN"), log);
            assertTrue(log.contains("reply allowed.test is " + lab.v4(ALLOWED)), log);
        }

        @Test
        void rejectedConnectionsAreCountedForRoot() {
            for (int i = 0; i < 3; i++) {
                dev.connect4(lab.v4(BLOCKED), 8443).isRejected();
            }
            String status = dev.asRoot(DevContainer.FIREWALL + " status").succeeds().out();
            assertTrue(status.contains("denied " + lab.v4(BLOCKED) + ",tcp:8443 packets=3\n"), status);
            assertTrue(status.contains("denied " + lab.v6(BLOCKED) + ",tcp:443 packets="), status);
        }
    }

    @Test
    void rotationANewAddressIsReachableThroughTheNameButNotBeforeTheLookup() {
        lab.setHosts(UPSTREAM, lab.v4(ROTATION_A) + " rot.test\n" + lab.v4(CDN) + " edge.cdn.test\n");
        dev.connect4("rot.test", 443).reaches("rot-a");
        dev.connect4(lab.v4(ROTATION_B), 443).isRejected();

        lab.setHosts(UPSTREAM, lab.v4(ROTATION_B) + " rot.test\n" + lab.v4(CDN) + " edge.cdn.test\n");
        dev.connect4("rot.test", 443).reaches("rot-b");
        dev.connect4(lab.v4(ROTATION_B), 443).reaches("rot-b");
    }

    @Test
    void runningTheScriptTwiceGivesTheSameTablesAndStillWorks() {
        String rules = "iptables-save -t filter | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]//';"
                + " ip6tables-save -t filter | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]//'";
        String before = dev.asRoot(rules).succeeds().out();
        dev.applyFirewall().succeeds();
        assertEquals(before, dev.asRoot(rules).succeeds().out());
        assertEquals("1", dev.asRoot("pgrep -u claude-devc-dns -x dnsmasq -r S,R,D | wc -l").out().strip());
        dev.connect4("allowed.test", 443).reaches("allowed");
        dev.connect6("api.wild.test", 443).reaches("wild");
        dev.dig("blocked.test").isNxdomain();
        dev.assertClosed();
    }
}
