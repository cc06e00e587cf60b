package dev.claudedevc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.claudedevc.docker.ExecResult;
import org.junit.jupiter.api.Test;

/** How each probe reads what its command did in the container (outputs as bash, getent, dig and sudo print them). */
class CheckTest {

    private static Observation observe(Check check, int exit, String output) {
        return check.observe(new ExecResult(exit, output, false));
    }

    @Test
    void tcpConnectOutcomes() {
        assertEquals(new Observation(true, "connected"), observe(Check.TCP, 0, ""));
        assertEquals(new Observation(false, "refused"), observe(Check.TCP, 1,
                "claude-devc-probe: connect: Connection refused\nclaude-devc-probe: line 1: /dev/tcp/x/443: "
                        + "Connection refused\n"));
        assertEquals(new Observation(false, "name did not resolve"), observe(Check.TCP, 1,
                "claude-devc-probe: line 1: a.test: Name or service not known\n"));
        assertEquals(new Observation(false, "no route to host"), observe(Check.TCP, 1,
                "claude-devc-probe: connect: No route to host\n"));
        assertEquals(new Observation(false, "timed out"), observe(Check.TCP, 124, ""));
        assertEquals(new Observation(false, "timed out"), Check.TCP.observe(new ExecResult(-1, "", true)));
    }

    @Test
    void resolveOutcomes() {
        assertEquals(new Observation(true, "resolves to 172.18.0.3, fd00::3"), observe(Check.RESOLVE, 0,
                "fd00::3 STREAM x.test\nfd00::3 DGRAM\n172.18.0.3 STREAM\n172.18.0.3 DGRAM\n"));
        assertEquals(new Observation(false, "does not resolve"), observe(Check.RESOLVE, 2, ""));
    }

    @Test
    void anAddressInTheAnswerMeansTheQueryGotThrough() {
        assertEquals(new Observation(true, "answered 172.18.0.3"), observe(Check.DNS, 0, """
                ;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 6607
                ;; ANSWER SECTION:
                x.test.		0	IN	A	172.18.0.3
                """));
        assertEquals(new Observation(false, "no address (NXDOMAIN)"), observe(Check.DNS, 0,
                ";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 1\n"));
        assertEquals(new Observation(false, "no reply: refused"), observe(Check.DNS, 9,
                ";; communications error to 172.18.0.3#53: connection refused\n;; no servers could be reached\n"));
        assertEquals(new Observation(false, "no reply: timed out"), observe(Check.DNS, 9,
                ";; communications error to 172.18.0.3#53: timed out\n"));
    }

    @Test
    void sudoMustRefuseItselfNotJustTheScript() {
        assertEquals(new Observation(false, "refused by sudo (no rule without a password)"), observe(Check.SUDO, 1,
                "sudo: a password is required\n"));
        assertEquals(new Observation(false, "refused by sudo (may not set BASH_ENV)"), observe(Check.SUDO, 1,
                "sudo: sorry, you are not allowed to set the following environment variables: BASH_ENV\n"));
        assertEquals(new Observation(true, "ran as root: exit 2, usage: claude-devc-firewall"), observe(Check.SUDO, 2,
                "usage: claude-devc-firewall\n"));
    }

    @Test
    void privilegedOperationsAreDeniedOrSucceed() {
        assertEquals(new Observation(false, "denied: permission denied"), observe(Check.PRIVILEGED, 4,
                "iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must "
                        + "be root)\n"));
        assertEquals(new Observation(false, "denied: operation not permitted"), observe(Check.PRIVILEGED, 1,
                "ipset v7.17: Kernel error received: Operation not permitted\n"));
        assertEquals(new Observation(true, "succeeded"), observe(Check.PRIVILEGED, 0, ""));
    }

    @Test
    void theFirewallRunShowsItsLastLineWhenItFails() {
        assertEquals(new Observation(true, "exit 0"), observe(Check.FIREWALL, 0, "applied\n"));
        assertEquals(new Observation(false, "exit 1: claude-devc-firewall: FAILED: self-test"),
                observe(Check.FIREWALL, 1, "lockdown in place\nclaude-devc-firewall: FAILED: self-test\n"));
    }
}
