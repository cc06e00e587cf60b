package dev.claudedevc.firewall;

import static dev.claudedevc.firewall.FirewallLab.Server.NEIGHBOUR;
import static dev.claudedevc.firewall.FirewallLab.Server.ROTATION_B;
import static dev.claudedevc.firewall.FirewallLab.Server.UPSTREAM;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * DNS rebinding: an allowed wildcard name ({@code *.wild.test}) whose upstream answers an internal address. The
 * answer resolves and lands in the allow set, but the destination stays unreachable unless the descriptor lists
 * its range under {@code network.privateAnswers} (the lab lists only its servers' /24, not the devcontainers' /24
 * where the neighbour lives).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirewallPrivateAnswersIT {

    private static final String METADATA = "169.254.169.254";

    private FirewallLab lab;
    private DevContainer dev;

    @BeforeAll
    void applyFirewall() {
        lab = FirewallLab.shared();
        lab.setHosts(UPSTREAM, lab.upstreamHosts(UPSTREAM)); // another test class may have changed the answers
        dev = lab.start(FirewallLab.Variant.ENFORCE);
        dev.applyFirewall().succeeds();
    }

    @AfterAll
    void stop() {
        if (dev != null) {
            dev.close();
        }
    }

    @Test
    void aNeighboursAddressAnsweredForAnAllowedNameIsRefusedOnBothFamilies() {
        dev.dig("neighbour.wild.test", "A").answers(lab.v4(NEIGHBOUR));
        dev.dig("neighbour.wild.test", "AAAA").answers(lab.v6(NEIGHBOUR));
        // The answer is in the allow set: only the check before the allow sets keeps the neighbour closed.
        inAnAllowSet(lab.v4(NEIGHBOUR));
        inAnAllowSet(lab.v6(NEIGHBOUR));
        dev.connect4("neighbour.wild.test", 443).isRejected();
        dev.connect6("neighbour.wild.test", 443).isRejected();
        dev.connect4(lab.v4(NEIGHBOUR), 80).isRejected();
        String status = dev.asRoot(DevContainer.FIREWALL + " status").succeeds().out();
        assertTrue(status.contains("private-denied " + lab.v4(NEIGHBOUR) + ",tcp:443 packets="), status);
        assertTrue(status.contains("private-denied " + lab.v6(NEIGHBOUR) + ",tcp:443 packets="), status);
        assertTrue(status.contains("denied " + lab.v4(NEIGHBOUR) + ",tcp:443 packets="), status);
    }

    @Test
    void theCloudMetadataAddressAnsweredForAnAllowedNameIsRefused() {
        dev.dig("metadata.wild.test", "A").answers(METADATA);
        inAnAllowSet(METADATA);
        // Refused by the firewall at once (a TCP reset), not lost on the internal network's missing route.
        dev.connect4("metadata.wild.test", 80).isRejected();
        String status = dev.asRoot(DevContainer.FIREWALL + " status").succeeds().out();
        assertTrue(status.contains("private-denied " + METADATA + ",tcp:80 packets="), status);
    }

    @Test
    void anAddressInsidePrivateAnswersIsReachableThroughTheAllowedName() {
        dev.connect4("mirror.wild.test", 443).reaches("rot-b");
        dev.connect6("mirror.wild.test", 443).reaches("rot-b");
        String status = dev.asRoot(DevContainer.FIREWALL + " status").succeeds().out();
        assertTrue(!status.contains("private-denied " + lab.v4(ROTATION_B) + ","), status);
    }

    private void inAnAllowSet(String address) {
        dev.asRoot("for s in $(ipset list -n | grep '^cdv-g'); do ipset -q test \"$s\" \"$1\" && exit 0; done; exit 1",
                address).succeeds();
    }

    @Test
    void statusSeesThePrivateSetsAndNoticesWhenOneIsEmptied() {
        String status = dev.asRoot(DevContainer.FIREWALL + " status").succeeds().out();
        assertTrue(status.startsWith("result=ok\n"), status);
        assertTrue(status.contains(" cdv-private-4 cdv-exempt-4 cdv-private-6 cdv-exempt-6"), status);
        assertTrue(status.matches("(?s).*\nfixed_sets=[0-9a-f]{64}\n.*"), status);
        try {
            dev.asRoot("ipset flush cdv-private-6").succeeds();
            String after = dev.asRoot(DevContainer.FIREWALL + " status").fails().out();
            assertTrue(after.startsWith("result=not-in-force\n"), after);
            assertTrue(after.contains("problem=the static, private or exempt sets differ from the ones the firewall loaded"),
                    after);
        } finally {
            dev.applyFirewall().succeeds();
        }
    }
}
