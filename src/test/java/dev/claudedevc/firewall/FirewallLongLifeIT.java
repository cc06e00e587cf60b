package dev.claudedevc.firewall;

import static dev.claudedevc.firewall.FirewallLab.Server.ALLOWED;
import static dev.claudedevc.firewall.FirewallLab.Server.UPSTREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.cli.CliRun;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A long-running container: addresses that DNS answers added to the allow sets expire (here after a lifetime of
 * {@value #LIFETIME} s, baked into the policy; 3600 s by default) unless an answer names them again, connections
 * already established outlive that, and static ranges never expire.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirewallLongLifeIT {

    static final int LIFETIME = 4;
    static final int LOG_MAX = 20000;
    static final int LOG_KEEP = 3;

    private FirewallLab lab;
    private DevContainer dev;

    @BeforeAll
    void applyFirewall() {
        lab = FirewallLab.shared();
        lab.setHosts(UPSTREAM, lab.upstreamHosts(UPSTREAM));
        String policy = lab.generatedFile(FirewallLab.Variant.ENFORCE, "claude-devc-policy.conf")
                + "answer-lifetime " + LIFETIME + "\n"
                + "dns-log " + LOG_MAX + " " + LOG_KEEP + "\n";
        String image = lab.imageWith(FirewallLab.Variant.ENFORCE, "claude-devc-policy.conf", policy, "lifetime");
        dev = lab.start(image);
        dev.applyFirewall().succeeds();
    }

    @AfterAll
    void stop() {
        if (dev != null) {
            dev.close();
        }
        if (lab != null) {
            lab.setHosts(UPSTREAM, lab.upstreamHosts(UPSTREAM));
        }
    }

    /** How many entries of the IPv4 allow sets (DNS answers, not static ranges) start with this prefix. */
    private int answered(String prefix) {
        String out = dev.asRoot("for s in $(ipset list -n | grep -E '^cdv-g[0-9]+-4$'); do ipset list \"$s\"; done"
                + " | awk -v p=\"$1\" 'index($1, p) == 1 {n++} END {print n + 0}'", prefix).succeeds().out().strip();
        return Integer.parseInt(out);
    }

    /** Whether an IPv4 allow set holds exactly this address as an answer. */
    private boolean answeredExactly(String address) {
        return dev.asRoot("for s in $(ipset list -n | grep -E '^cdv-g[0-9]+-4$'); do ipset -q test \"$s\" \"$1\" && exit 0;"
                + " done; exit 1", address).exitCode() == 0;
    }

    @Test
    void anAddressWhoseLifetimePassedIsRefusedUntilTheNameIsLookedUpAgainWhileOpenConnectionsLive() {
        String address = lab.v4(ALLOWED);
        dev.dig("allowed.test", "A").answers(address);
        assertTrue(answeredExactly(address));
        dev.connect4(address, 443).reaches("allowed");
        // A connection opened now and used only after the lifetime has passed (the server answers a line).
        dev.asUser("( { sleep " + (LIFETIME + 4) + "; echo ping; sleep 3; } | socat -T20 - TCP4:slow.wild.test:80 )"
                + " > /tmp/late 2>&1 < /dev/null & disown").succeeds();

        DevContainer.eventually(Duration.ofSeconds(LIFETIME + 10), () -> {
            assertTrue(!answeredExactly(address), "the answer should have expired");
            return null;
        });
        dev.connect4(address, 443).isRejected();
        dev.connect4(address, 443).isRejected();

        dev.dig("allowed.test", "A").answers(address);
        dev.connect4(address, 443).reaches("allowed");

        String late = DevContainer.eventually(Duration.ofSeconds(20), () -> {
            String text = dev.asUser("cat /tmp/late").out();
            assertTrue(text.contains("slow ping"), "the open connection should still carry data: " + text);
            return text;
        });
        assertTrue(late.startsWith("slow ping"), late);
    }

    @Test
    void everyAnswerRefreshesTheLifetime() {
        String address = lab.v4(ALLOWED);
        for (int i = 0; i < LIFETIME + 2; i++) {
            dev.dig("allowed.test", "A").answers(address);
            sleep(Duration.ofSeconds(1));
        }
        // More than the lifetime after the first answer, but less after the last one.
        dev.connect4(address, 443).reaches("allowed");
    }

    @Test
    void afterManyRotatingAnswersTheAllowSetStaysBounded() {
        // A CDN name rotating through 20 new addresses per lookup (benchmark range: never dialled).
        int rounds = 8;
        int perRound = 20;
        int most = 0;
        for (int r = 0; r < rounds; r++) {
            StringBuilder hosts = new StringBuilder(lab.upstreamHosts(UPSTREAM));
            for (int i = 1; i <= perRound; i++) {
                hosts.append("198.18.").append(r).append('.').append(i).append(" many.wild.test\n");
            }
            lab.setHosts(UPSTREAM, hosts.toString());
            int round = r;
            DevContainer.eventually(Duration.ofSeconds(10), () -> {
                DevContainer.Dns dns = dev.dig("many.wild.test", "A");
                assertEquals(perRound, dns.answers().size(), dns.raw());
                assertTrue(dns.answers().contains("198.18." + round + ".1"), dns.raw());
                return dns;
            });
            most = Math.max(most, answered("198.18."));
            sleep(Duration.ofSeconds(2));
        }
        int total = rounds * perRound;
        // Alive at once: the answers of the last lifetime (about LIFETIME / 2 + 1 rounds), never all of them.
        int bound = (LIFETIME / 2 + 2) * perRound;
        assertTrue(most <= bound, "the set held " + most + " of " + total + " answered addresses (bound " + bound + ")");
        DevContainer.eventually(Duration.ofSeconds(LIFETIME + 10), () -> {
            assertEquals(0, answered("198.18."), "every answer should have expired");
            return null;
        });
        // Static ranges stay: the literal allowed in the descriptor is a permanent entry of its own set.
        dev.connect4(lab.v4(FirewallLab.Server.LITERAL), 443).reaches("literal");
    }

    @Test
    void statusKnowsTheLifetimeAndNoticesASetWithoutIt() {
        String status = dev.asRoot(DevContainer.FIREWALL + " status").succeeds().out();
        assertTrue(status.contains("\nanswer_lifetime=" + LIFETIME + "\n"), status);
        dev.asRoot("ipset list -t cdv-g0-4 | grep -q ' timeout " + LIFETIME + " '").succeeds();
        dev.asRoot("ipset list -t cdv-s0-4 | grep -qv ' timeout '").succeeds();
    }

    /** Appends about 25 kB of well-formed query lines (as a busy agent would cause) and waits for a rotation. */
    private void fillTheLogUntilItRotates() {
        String before = dev.asRoot("stat -c %i /var/log/claude-devc/dns.log").succeeds().out();
        dev.asRoot("for i in $(seq 400); do echo \"$(date '+%b %e %T') dnsmasq[1]: query[A] filler.test from 127.0.0.1\";"
                + " done >> /var/log/claude-devc/dns.log").succeeds();
        DevContainer.eventually(Duration.ofSeconds(15), () -> {
            String now = dev.asRoot("stat -c %i /var/log/claude-devc/dns.log").succeeds().out();
            // A rotation renames the file away and makes a new one: a new inode (the old one lives on as .1).
            assertTrue(!now.equals(before), "dns.log should have been rotated");
            return now;
        });
    }

    @Test
    void theResolversLogIsRotatedBySizeWithinBoundsAndAuditStillReadsTheRotatedFiles() {
        for (int i = 0; i < 8; i++) {
            fillTheLogUntilItRotates();
        }
        dev.dig("in-a-rotated-file.test").isNxdomain();
        DevContainer.eventually(Duration.ofSeconds(5), () -> dev.asRoot(
                "grep -q 'config in-a-rotated-file.test is NXDOMAIN' /var/log/claude-devc/dns.log").succeeds());
        fillTheLogUntilItRotates();
        String files = dev.asRoot("cd /var/log/claude-devc && stat -c '%n %U %s' dns.log* | sort").succeeds().out();
        assertEquals(LOG_KEEP + 1, files.lines().count(), files);
        long total = files.lines().mapToLong(l -> Long.parseLong(l.split(" ")[2])).sum();
        // Each file is rotated within a couple of seconds of passing the size (one fill is about 25 kB).
        assertTrue(total <= (LOG_KEEP + 1) * (LOG_MAX + 30_000L), files);
        assertTrue(files.contains("dns.log claude-devc-dns "), files);
        files.lines().filter(l -> l.startsWith("dns.log.")).forEach(l -> assertTrue(l.contains(" root "), files));
        assertTrue(dev.asRoot("grep -l 'config in-a-rotated-file.test is NXDOMAIN' /var/log/claude-devc/dns.log.1")
                .exitCode() == 0, files);
        // The resolver still logs into the new file.
        dev.dig("after-rotation.test").isNxdomain();
        DevContainer.eventually(Duration.ofSeconds(5), () -> dev.asRoot(
                "grep -q 'config after-rotation.test is NXDOMAIN' /var/log/claude-devc/dns.log").succeeds());

        dev.asUser("kill -TERM \"$(cat /run/claude-devc/rotator.pid)\"").fails();
        java.nio.file.Path project = lab.project(FirewallLab.Variant.ENFORCE);
        CliRun audit = CliRun.of("audit", "-C", project.toString(), "--container", dev.id());
        audit.exits(0);
        assertTrue(audit.out().contains("in-a-rotated-file.test"), audit.out());
    }

    @Test
    void everyContainerStartRunsARootRotatorThatStatusChecks() {
        String image = lab.imageWith(FirewallLab.Variant.ENFORCE, "claude-devc-policy.conf",
                lab.generatedFile(FirewallLab.Variant.ENFORCE, "claude-devc-policy.conf"), "rotator");
        try (DevContainer started = lab.run(image, true)) {
            for (int start = 0; start < 2; start++) {
                started.waitForFirewall().succeeds();
                String status = started.asRoot(DevContainer.FIREWALL + " status").succeeds().out();
                assertTrue(status.contains("\nrotator=running\n"), status);
                started.asRoot("pid=$(cat /run/claude-devc/rotator.pid); test \"$(stat -c %u /proc/$pid)\" = 0"
                        + " && tr '\\0' ' ' < /proc/$pid/cmdline | grep -q ' rotate-dns-log '").succeeds();
                started.restart();
            }
            started.waitForFirewall().succeeds();
            started.asRoot("kill -KILL \"$(cat /run/claude-devc/rotator.pid)\"").succeeds();
            String status = started.asRoot(DevContainer.FIREWALL + " status").fails().out();
            assertTrue(status.contains("problem=the dns.log rotator is not running"), status);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
