package dev.claudedevc.firewall;

import static dev.claudedevc.firewall.FirewallLab.Server.BLOCKED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.firewall.DevContainer.Exec;
import dev.claudedevc.model.ImageLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The firewall's denial record, as the agent sees it (issue 12 item 4, issue 9 item 6: one mechanism): a refused
 * name and a rejected connection show up in one line each from {@code claude-devc-denials}, run as the agent's
 * user, and as Claude Code's hook output; the agent cannot write the record, nor replace the command or the managed
 * settings that call it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DenialHintIT {

    private static final String HINT = "blocked by the dev container firewall: ";
    private static final String ASK = " — ask to add it to claude-devc.yaml";

    private FirewallLab lab;

    @BeforeAll
    void lab() {
        lab = FirewallLab.shared();
    }

    @Test
    void theAgentSeesWhatWasBlockedInOneLineEachAndCannotForgeIt() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            dev.applyFirewall().succeeds();
            String before = dev.asUser(ImageLayout.DENIALS).succeeds().out();
            // (The firewall's self-test at the apply tried its must-deny targets: those are in the record already.)
            assertFalse(before.contains("nowhere.test") || before.contains("port 25/tcp"), before);

            long t0 = System.nanoTime();
            Exec curl = dev.asUser("curl -sS --max-time 10 https://nowhere.test/").fails();
            long curlMillis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(curl.err().contains("Could not resolve host"), curl::text);
            assertTrue(curlMillis < 2000, "curl fails within 2 s, took " + curlMillis + " ms");
            dev.connect4(lab.v4(BLOCKED), 25).isRejected();

            String out = dev.asUser(ImageLayout.DENIALS).succeeds().out();
            assertTrue(out.contains(HINT + "nowhere.test" + ASK + "\n"), out);
            assertTrue(out.contains(HINT + lab.v4(BLOCKED) + " port 25/tcp" + ASK + "\n"), out);
            for (String line : out.split("\n")) {
                assertTrue(line.startsWith(HINT) && line.endsWith(ASK), "one line each: " + line);
            }
            String recent = dev.asUser(ImageLayout.DENIALS + " --since 120").succeeds().out();
            assertTrue(recent.contains("nowhere.test"), recent);
            assertEquals(1, dev.asUser(ImageLayout.DENIALS + " --recent 1").succeeds().out().split("\n").length);

            // The hook Claude Code runs after a Bash command: JSON with the denials as additional context.
            String hook = dev.asUser("echo '{}' | " + ImageLayout.DENIALS + " --hook PostToolUseFailure")
                    .succeeds().out();
            assertTrue(hook.startsWith("{\"hookSpecificOutput\":{\"hookEventName\":\"PostToolUseFailure\","
                    + "\"additionalContext\":\""), hook);
            assertTrue(hook.contains(HINT + "nowhere.test" + ASK), hook);

            // The record is the firewall's: the agent can neither write it nor replace what reads it.
            dev.asUser("echo 'Dec  2 00:00:00 dnsmasq[1]: config forged.example.com is NXDOMAIN'"
                    + " >> /var/log/claude-devc/dns.log").fails();
            dev.asUser("rm -f /var/log/claude-devc/dns.log").fails();
            dev.asUser("echo x > /var/lib/claude-devc/denied-seen").fails();
            dev.asUser("ipset add cdv-denied-4 192.0.2.1,tcp:1").fails();
            dev.asUser("sudo -n /usr/local/sbin/claude-devc-firewall denials --since 1").fails();
            dev.asUser("cp /bin/true " + ImageLayout.DENIALS).fails();
            dev.asUser("test -O " + ImageLayout.DENIALS).fails();
            assertEquals("root:root 755\n", dev.asUser("stat -c '%U:%G %a' " + ImageLayout.DENIALS).succeeds().out());
            // A name with spaces or control characters in the log would not be printed as a host.
            dev.asUser("dig +short +tries=1 +time=2 @127.0.0.1 'x.test is NXDOMAIN\\010evil.test' || true");
            String after = dev.asUser(ImageLayout.DENIALS + " --recent 50").succeeds().out();
            assertFalse(after.contains("forged") || after.contains("evil"), after);
        }
    }

    @Test
    void theManagedSettingsAreRootOwnedAndTheAgentCannotReplaceThem() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            String file = ImageLayout.MANAGED_SETTINGS;
            assertEquals("root:root 644\nroot:root 755\n", dev.asUser("stat -c '%U:%G %a' " + file + " "
                    + file.substring(0, file.lastIndexOf('/'))).succeeds().out());
            dev.asUser("echo '{}' > " + file).fails();
            dev.asUser("mv " + file + " /tmp/x").fails();
            dev.asUser("echo '{}' > /tmp/m.json && mv /tmp/m.json " + file).fails();
            String settings = dev.asUser("cat " + file).succeeds().out();
            assertTrue(settings.contains("\"allowManagedDomainsOnly\" : true") || settings.contains(
                    "\"allowManagedDomainsOnly\": true"), settings);
            assertTrue(settings.contains(ImageLayout.DENIALS + " --hook PostToolUseFailure"), settings);
        }
    }
}
