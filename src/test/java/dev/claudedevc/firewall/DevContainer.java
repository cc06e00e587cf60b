package dev.claudedevc.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.ExecConfig;
import org.testcontainers.containers.GenericContainer;

/**
 * A running generated devcontainer, seen the way a user (or the agent) sees it: commands run as the image's
 * non-root user {@code dev} unless a test explicitly needs root to set up a fault.
 */
final class DevContainer implements AutoCloseable {

    static final String USER = "dev";
    static final String FIREWALL = "/usr/local/sbin/claude-devc-firewall";

    /** What a command printed and how it ended. */
    record Exec(int exitCode, String out, String err) {
        String text() {
            return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }

        Exec succeeds() {
            assertEquals(0, exitCode, this::text);
            return this;
        }

        Exec fails() {
            assertTrue(exitCode != 0, this::text);
            return this;
        }
    }

    /**
     * One TCP connection attempt by the user: whether it connected, what the server said (our test servers
     * answer "NAME PORT"), socat's error otherwise, and how long it took.
     */
    record Connection(String target, boolean connected, String reply, String error, long millis) {

        /** Connected to the expected test server. */
        Connection reaches(String server) {
            assertTrue(connected && reply.startsWith(server + " "),
                    () -> target + " should reach test server '" + server + "': " + this);
            return this;
        }

        /** Refused at once by the firewall's REJECT (a TCP reset), not silently dropped. */
        Connection isRejected() {
            assertTrue(!connected && error.contains("Connection refused"),
                    () -> target + " should be rejected: " + this);
            // A dropped SYN would take the full connect timeout (8 s); the bound is loose for loaded machines.
            assertTrue(millis < 5000, () -> target + " should be rejected at once, took " + millis + " ms: " + this);
            return this;
        }

        /** The name did not resolve, so no connection was even tried. */
        Connection doesNotResolve() {
            assertTrue(!connected && error.contains("getaddrinfo"),
                    () -> target + " should not resolve: " + this);
            return this;
        }

        /** Failed, whichever way (used where the exact way depends on timing). */
        Connection fails() {
            assertTrue(!connected, () -> target + " should fail: " + this);
            return this;
        }
    }

    /** A dig run by the user: the response status ({@code NOERROR}, {@code NXDOMAIN}…) or the transport error. */
    record Dns(String query, String status, List<String> answers, String raw) {
        Dns isNxdomain() {
            assertEquals("NXDOMAIN", status, () -> query + " should be NXDOMAIN:\n" + raw);
            return this;
        }

        Dns answers(String address) {
            assertTrue("NOERROR".equals(status) && answers.contains(address),
                    () -> query + " should answer " + address + ":\n" + raw);
            return this;
        }

        /** No DNS response at all: the query was rejected on its way out. */
        Dns isRefusedOnTheWire() {
            assertEquals("", status, () -> query + " should get no DNS response:\n" + raw);
            assertTrue(raw.contains("connection refused"), () -> query + " should be refused at once:\n" + raw);
            return this;
        }
    }

    private static final String PROBE = """
            t0=$(date +%s%N)
            out=$(socat -T2 - "$1,connect-timeout=8" </dev/null 2>&1)
            rc=$?
            t1=$(date +%s%N)
            printf 'rc=%s ms=%s\\n%s\\n' "$rc" "$(( (t1 - t0) / 1000000 ))" "$out"
            """;

    private final FirewallLab lab;
    private final GenericContainer<?> container;

    DevContainer(FirewallLab lab, GenericContainer<?> container) {
        this.lab = lab;
        this.container = container;
    }

    static Exec exec(Container<?> container, String user, String script, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", "-c", script, "script"));
        command.addAll(Arrays.asList(args));
        try {
            Container.ExecResult r = container.execInContainer(ExecConfig.builder()
                    .user(user).command(command.toArray(String[]::new)).build());
            return new Exec(r.getExitCode(), r.getStdout(), r.getStderr());
        } catch (IOException e) {
            throw new IllegalStateException("exec failed: " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Runs a bash script as the non-root user; {@code $1…} are the args. */
    Exec asUser(String script, String... args) {
        return exec(container, USER, script, args);
    }

    /** Runs a command as a plain {@code docker exec} without {@code -u} does: as the image's configured user. */
    Exec asDefaultUser(String... command) {
        try {
            Container.ExecResult r = container.execInContainer(command);
            return new Exec(r.getExitCode(), r.getStdout(), r.getStderr());
        } catch (IOException e) {
            throw new IllegalStateException("exec failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Runs a bash script as root: only to set up faults and to read root-only records. */
    Exec asRoot(String script, String... args) {
        return exec(container, "root", script, args);
    }

    /** What postStartCommand runs: the user applies the firewall through sudo, with no arguments. */
    Exec applyFirewall() {
        return asUser("sudo " + FIREWALL);
    }

    /** The firewall's status as the user sees it. */
    Exec status() {
        return asUser(FIREWALL + " status");
    }

    Connection connect4(String host, int port) {
        return connect(tcp4(host, port));
    }

    Connection connect6(String host, int port) {
        return connect(tcp6(host, port));
    }

    private Connection connect(String socatAddress) {
        return connectAll(socatAddress).get(0);
    }

    /** Several connection attempts in one exec (each as {@link #connect4} would make it). */
    List<Connection> connectAll(String... socatAddresses) {
        Exec r = asUser("for target in \"$@\"; do set -- \"$target\"; " + PROBE + " echo '--'; done",
                socatAddresses);
        String[] blocks = r.out().split("(?m)^--\n", -1);
        List<Connection> out = new ArrayList<>();
        for (int i = 0; i < socatAddresses.length; i++) {
            String[] lines = blocks[i].split("\n", 2);
            String head = lines[0];
            String body = lines.length > 1 ? lines[1].strip() : "";
            int rc = Integer.parseInt(head.replaceAll(".*rc=([0-9]+).*", "$1"));
            long millis = Long.parseLong(head.replaceAll(".*ms=([0-9]+).*", "$1"));
            boolean connected = rc == 0 && !body.isEmpty() && !body.contains(" E ");
            out.add(new Connection(socatAddresses[i], connected, connected ? body : "", connected ? "" : body,
                    millis));
        }
        return out;
    }

    static String tcp4(String host, int port) {
        return "TCP4:" + host + ":" + port;
    }

    static String tcp6(String host, int port) {
        return "TCP6:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code dig} as the user, through resolv.conf unless the options name a server ({@code @x}). */
    Dns dig(String... options) {
        String query = String.join(" ", options);
        Exec r = asUser("dig +time=2 +tries=1 \"$@\" 2>&1", options);
        String raw = r.out();
        String status = raw.replaceAll("(?s).*status: ([A-Z]+).*", "$1");
        if (status.equals(raw)) {
            status = "";
        }
        List<String> answers = new ArrayList<>();
        boolean inAnswer = false;
        for (String line : raw.split("\n")) {
            if (line.startsWith(";; ANSWER SECTION")) {
                inAnswer = true;
            } else if (line.isBlank()) {
                inAnswer = false;
            } else if (inAnswer) {
                String[] f = line.trim().split("\\s+");
                answers.add(f[f.length - 1]);
            }
        }
        return new Dns(query, status, answers, raw);
    }

    /**
     * Asserts the container is closed by default: DROP policies on both families, direct connections to a
     * non-allowlisted server and a neighbour rejected, Docker's embedded DNS unreachable for the user.
     */
    void assertClosed() {
        Exec policies = asRoot("iptables -w 10 -S | head -n 3; ip6tables -w 10 -S | head -n 3");
        String drop = "-P INPUT DROP\n-P FORWARD DROP\n-P OUTPUT DROP\n";
        assertEquals(drop + drop, policies.out(), policies::text);
        connectAll(tcp4(lab.v4(FirewallLab.Server.BLOCKED), 443), tcp6(lab.v6(FirewallLab.Server.BLOCKED), 443),
                tcp4(lab.v4(FirewallLab.Server.NEIGHBOUR), 22)).forEach(Connection::isRejected);
        dig("@127.0.0.11", "blocked.test").isRefusedOnTheWire();
    }

    /** Retries an assertion for a while (for things that become true asynchronously, like a restarted server). */
    static <T> T eventually(Duration timeout, Supplier<T> attempt) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return attempt.get();
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Restarts the container (a new network namespace; files survive) as {@code docker restart} does. */
    void restart() {
        lab.docker().restartContainerCmd(container.getContainerId()).withTimeout(1).exec();
    }

    /** Stops the container and starts it again, as {@code docker stop} and {@code docker start} do. */
    void stopAndStart() {
        lab.docker().stopContainerCmd(container.getContainerId()).withTimeout(1).exec();
        lab.docker().startContainerCmd(container.getContainerId()).exec();
    }

    /** What postStartCommand runs: waits until the entrypoint applied the firewall for this start. */
    Exec waitForFirewall() {
        return asUser(FIREWALL + " wait");
    }

    /** The container's output ({@code docker logs}), stdout and stderr. */
    String logs() {
        return container.getLogs();
    }

    String id() {
        return container.getContainerId();
    }

    @Override
    public void close() {
        lab.forget(this);
        container.stop();
    }
}
