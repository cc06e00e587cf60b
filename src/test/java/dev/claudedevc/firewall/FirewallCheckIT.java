package dev.claudedevc.firewall;

import static dev.claudedevc.firewall.FirewallLab.Server.BLOCKED;
import static dev.claudedevc.firewall.FirewallLab.Server.LITERAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.cli.CliRun;
import dev.claudedevc.cli.ExitCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code check --container} against a live enforce-mode box: its resolver, allow sets and rules answer, through
 * the Docker API, and agree with what the box then does to the user's own connections.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirewallCheckIT {

    private FirewallLab lab;
    private DevContainer dev;

    @BeforeAll
    void applyFirewall() {
        lab = FirewallLab.shared();
        dev = lab.start(FirewallLab.Variant.ENFORCE);
        dev.applyFirewall().succeeds();
    }

    @AfterAll
    void stop() {
        if (dev != null) {
            dev.close();
        }
    }

    /** The live answer; the box runs the descriptor's own policy, so check finds no disagreement to report. */
    private CliRun check(String destination) {
        CliRun run = CliRun.of("check", "-C", lab.project(FirewallLab.Variant.ENFORCE).toString(), "--container",
                dev.id(), destination);
        assertEquals("", run.err(), "the live box and the descriptor agree on " + destination);
        return run;
    }

    @Test
    void anAllowedNameIsAllowedByTheLiveAllowSet() {
        CliRun run = check("allowed.test:443").exits(ExitCodes.OK);
        assertTrue(run.out().startsWith("allowed: allowed.test:443 (in "), run.out());
        assertTrue(run.out().contains("is in the allow set cdv-g"), run.out());
        dev.connect4("allowed.test", 443).reaches("allowed");
    }

    @Test
    void aNameOffTheListIsRefusedByTheLiveResolver() {
        CliRun run = check("blocked.test").exits(ExitCodes.DENIED);
        assertTrue(run.out().startsWith("denied: blocked.test:443 (in "), run.out());
        assertTrue(run.out().contains("answers NXDOMAIN for blocked.test"), run.out());
        dev.connect4("blocked.test", 443).doesNotResolve();
    }

    @Test
    void anAllowedNameOnAnotherPortIsDeniedByTheLiveRules() {
        CliRun run = check("allowed.test:22").exits(ExitCodes.DENIED);
        assertTrue(run.out().contains("are not open on port 22"), run.out());
        dev.connect4("allowed.test", 22).isRejected();
    }

    @Test
    void addressesAreTestedAgainstTheStaticSets() {
        check(lab.v4(LITERAL) + ":443").exits(ExitCodes.OK);
        CliRun blocked = check(lab.v4(BLOCKED) + ":443").exits(ExitCodes.DENIED);
        assertTrue(blocked.out().contains("no allow set holds " + lab.v4(BLOCKED)), blocked.out());
    }
}
