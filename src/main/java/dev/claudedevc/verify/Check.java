package dev.claudedevc.verify;

import dev.claudedevc.docker.ExecResult;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kinds of probe and how each reads a command's result. Each command is built from fixed text and validated
 * values passed as separate arguments (never spliced into a shell string).
 */
public enum Check {

    /** The firewall run as container start runs it: must exit 0. */
    FIREWALL("exit 0", "exit 0") {
        @Override
        Observation observe(ExecResult r) {
            if (r.timedOut()) {
                return new Observation(false, "timed out");
            }
            String last = r.lastLine();
            return new Observation(r.exitCode() == 0,
                    "exit " + r.exitCode() + (r.exitCode() == 0 || last.isEmpty() ? "" : ": " + clip(last)));
        }
    },

    /** A TCP connection to host:port. */
    TCP("connects", "blocked") {
        @Override
        Observation observe(ExecResult r) {
            if (r.timedOut() || r.exitCode() == 124) {
                return new Observation(false, "timed out");
            }
            if (r.exitCode() == 0) {
                return new Observation(true, "connected");
            }
            String out = r.output();
            if (out.contains("Connection refused")) {
                return new Observation(false, "refused");
            }
            if (NAME_FAILURE.matcher(out).find()) {
                return new Observation(false, "name did not resolve");
            }
            Matcher m = ERRNO.matcher(out);
            if (m.find()) {
                return new Observation(false, m.group(1).toLowerCase(Locale.ROOT));
            }
            return new Observation(false, "failed: " + clip(r.lastLine()));
        }
    },

    /** A name lookup through the system resolver ({@code getent ahosts}), as any program does it. */
    RESOLVE("resolves", "does not resolve") {
        @Override
        Observation observe(ExecResult r) {
            if (r.timedOut() || r.exitCode() == 124) {
                return new Observation(false, "timed out");
            }
            if (r.exitCode() == 0) {
                List<String> addresses = r.lines().stream().map(l -> l.split("\\s+")[0]).distinct().sorted()
                        .toList();
                return new Observation(!addresses.isEmpty(), "resolves to " + String.join(", ", addresses));
            }
            if (r.exitCode() == 2) {
                return new Observation(false, "does not resolve");
            }
            return new Observation(false, "lookup failed: exit " + r.exitCode()
                    + (r.lastLine().isEmpty() ? "" : ", " + clip(r.lastLine())));
        }
    },

    /**
     * A DNS query sent straight to a server ({@code dig @server}). The sidecar answers every name with its own
     * address, Docker's resolver knows the sidecar's alias: an address in the answer means the query got there.
     */
    DNS("answers", "no answer") {
        @Override
        Observation observe(ExecResult r) {
            if (r.timedOut()) {
                return new Observation(false, "no reply: timed out");
            }
            List<String> answers = r.lines().stream().filter(l -> !l.startsWith(";"))
                    .map(l -> l.split("\\s+")).filter(f -> f.length >= 5 && (f[3].equals("A") || f[3].equals("AAAA")))
                    .map(f -> f[4]).distinct().toList();
            if (!answers.isEmpty()) {
                return new Observation(true, "answered " + String.join(", ", answers));
            }
            Matcher status = DIG_STATUS.matcher(r.output());
            if (status.find()) {
                return new Observation(false, "no address (" + status.group(1) + ")");
            }
            String out = r.output().toLowerCase(Locale.ROOT);
            if (out.contains("connection refused")) {
                return new Observation(false, "no reply: refused");
            }
            if (out.contains("timed out") || out.contains("no servers could be reached")) {
                return new Observation(false, "no reply: timed out");
            }
            Matcher m = ERRNO.matcher(r.output());
            if (m.find()) {
                return new Observation(false, "no reply: " + m.group(1).toLowerCase(Locale.ROOT));
            }
            return new Observation(false, "no reply: exit " + r.exitCode());
        }
    },

    /** Something only root may do (flush the firewall, write its files): must fail for the user. */
    PRIVILEGED("succeeds", "denied") {
        @Override
        Observation observe(ExecResult r) {
            if (r.succeeded()) {
                return new Observation(true, "succeeded");
            }
            if (r.timedOut()) {
                return new Observation(false, "timed out");
            }
            Matcher m = ERRNO.matcher(r.output());
            if (m.find()) {
                return new Observation(false, "denied: " + m.group(1).toLowerCase(Locale.ROOT));
            }
            return new Observation(false, "denied: exit " + r.exitCode());
        }
    },

    /** sudo of the firewall in a way the sudoers rule does not allow: sudo itself must refuse. */
    SUDO("runs as root", "refused by sudo") {
        @Override
        Observation observe(ExecResult r) {
            if (r.timedOut()) {
                return new Observation(false, "timed out");
            }
            Matcher m = SUDO_REFUSAL.matcher(r.output());
            if (r.exitCode() != 0 && m.find()) {
                String why = m.group(1);
                if (why.contains("password is required")) {
                    why = "no rule without a password";
                } else if (why.contains("not allowed to set")) {
                    why = "may not set " + why.substring(why.lastIndexOf(':') + 1).strip();
                }
                return new Observation(false, "refused by sudo (" + clip(why) + ")");
            }
            return new Observation(true, "ran as root: exit " + r.exitCode()
                    + (r.lastLine().isEmpty() ? "" : ", " + clip(r.lastLine())));
        }
    };

    private static final Pattern NAME_FAILURE = Pattern.compile(
            "Name or service not known|Temporary failure in name resolution|No address associated|"
                    + "Name does not resolve|nodename nor servname");
    private static final Pattern ERRNO = Pattern.compile(
            "(No route to host|Network is unreachable|Operation not permitted|Permission denied|"
                    + "Connection reset by peer|Connection timed out|Host is down|Cannot assign requested address|"
                    + "Address family not supported by protocol)");
    private static final Pattern DIG_STATUS = Pattern.compile("status: ([A-Z]+)");
    private static final Pattern SUDO_REFUSAL = Pattern.compile("(?m)^sudo: (.*)$");

    private final String expectReached;
    private final String expectBlocked;

    Check(String expectReached, String expectBlocked) {
        this.expectReached = expectReached;
        this.expectBlocked = expectBlocked;
    }

    /** What the table says is expected. */
    String expected(boolean mustReach) {
        return mustReach ? expectReached : expectBlocked;
    }

    /** Reads a command's result. */
    abstract Observation observe(ExecResult result);

    /** A line cut to a readable length. */
    static String clip(String line) {
        String one = line.strip().replaceAll("\\s+", " ");
        return one.length() <= 60 ? one : one.substring(0, 57) + "...";
    }
}
