package dev.claudedevc.verify;

import static dev.claudedevc.docker.FakeEngine.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.docker.ExecResult;
import dev.claudedevc.docker.FakeEngine;
import dev.claudedevc.model.Endpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code check --container} concludes from a live box's answers (scripted), and what it asks. */
class LiveCheckTest {

    private static final List<String> STATUS = List.of("/usr/local/sbin/claude-devc-firewall", "status");
    private static final ExecResult NOT_IN_SET = new ExecResult(1, "10.20.0.7 is NOT in set", false);

    private static FakeEngine box(String status, String answer) {
        return new FakeEngine().onExec("c", "root", STATUS, ok(status))
                .onExec("c", "root", List.of("dig"), ok(";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1\n"
                        + answer))
                .onExec("c", "root", List.of("iptables"), ok("-A OUTPUT -p tcp -m set --match-set cdv-g0-4 dst -m"
                        + " multiport --dports 443,80 -j CDV-ALLOW\n"))
                .onExec("c", "root", List.of("ip6tables"), ok(""))
                .onExec("c", "root", List.of("ipset", "list", "-n"), ok("cdv-g0-4\ncdv-private-4\ncdv-exempt-4\n"));
    }

    @Test
    void anInternalAnswerNoRangeExemptsIsRefusedByTheGuardEvenInAnAllowSet() {
        FakeEngine engine = box("result=ok\nmode=enforce\n", "mirror.corp.example. 60 IN A 10.20.0.7\n")
                .onExec("c", "root", List.of("ipset", "test", "cdv-private-4"), ok(""))
                .onExec("c", "root", List.of("ipset", "test", "cdv-pans-4"), NOT_IN_SET)
                .onExec("c", "root", List.of("ipset", "test", "cdv-g0-4"), ok(""));
        LiveCheck.Answer a = new LiveCheck(engine, "c").ask(new Endpoint("mirror.corp.example", 443));
        assertFalse(a.allowed());
        assertEquals(List.of("10.20.0.7"), a.addresses());
        assertTrue(a.reason().contains("10.20.0.7 is an internal address"), a.reason());
    }

    @Test
    void anExemptInternalAnswerInAnAllowSetIsAllowed() {
        FakeEngine engine = box("result=ok\nmode=enforce\n", "mirror.corp.example. 60 IN A 10.20.0.7\n")
                .onExec("c", "root", List.of("ipset", "test"), ok(""));
        LiveCheck.Answer a = new LiveCheck(engine, "c").ask(new Endpoint("mirror.corp.example", 80));
        assertTrue(a.allowed(), a.reason());
        assertEquals(List.of("cdv-g0-4 443,80"), a.sets());
    }

    @Test
    void aFirewallNotInForceAnswersNothingForCertain() {
        FakeEngine engine = box("result=not-in-force\nproblem=IPv4 policies are not DROP\nmode=enforce\n",
                "a.example. 60 IN A 192.0.2.1\n");
        LiveCheck.Answer a = new LiveCheck(engine, "c").ask(new Endpoint("a.example.com", 443));
        assertFalse(a.allowed());
        assertTrue(a.reason().contains("NOT in force (not-in-force): IPv4 policies are not DROP"), a.reason());
    }

    @Test
    void inAuditModeEverythingPassesAndTheAnswerSaysSo() {
        FakeEngine engine = box("result=ok\nmode=audit\n", "");
        LiveCheck.Answer a = new LiveCheck(engine, "c").ask(new Endpoint("anything.example.org", 22));
        assertTrue(a.allowed());
        assertEquals("audit", a.mode());
        assertTrue(a.reason().startsWith("audit mode"), a.reason());
    }

    @Test
    void anAddressIsNotLookedUpAndNoShellIsEverUsed() {
        FakeEngine engine = box("result=ok\nmode=enforce\n", "")
                .onExec("c", "root", List.of("ipset", "test"), NOT_IN_SET);
        LiveCheck.Answer a = new LiveCheck(engine, "c").ask(new Endpoint("192.0.2.9", 443));
        assertFalse(a.allowed());
        assertEquals("", a.resolver());
        assertTrue(engine.calls.stream().noneMatch(c -> c.contains("dig")), engine.calls.toString());
        assertTrue(engine.calls.stream().noneMatch(c -> c.contains("bash") || c.contains("sh -c")),
                engine.calls.toString());
    }
}
