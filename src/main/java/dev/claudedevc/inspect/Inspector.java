package dev.claudedevc.inspect;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.docker.DockerEngine;
import dev.claudedevc.docker.ExecResult;
import dev.claudedevc.model.FirewallStatus;
import dev.claudedevc.model.ImageLayout;
import dev.claudedevc.model.ProtectedPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Inspects a running dev container: runs the probe (as root, {@code env -i} with a fixed PATH, so nothing the
 * agent controls runs) and classifies what it saw. The classification is a pure function of the probe's output.
 */
public final class Inspector {

    /** How sure a finding is to be a way out of the box. */
    public enum Severity { HIGH, MEDIUM, INFO }

    /**
     * One thing the agent can reach.
     *
     * @param severity how bad
     * @param area     what kind (protected-path, socket, credential, env, mount, capability, firewall, tamper, attach)
     * @param subject  the path, name or variable it is about
     * @param detail   what was seen
     * @param fix      what closes it
     */
    public record Finding(Severity severity, String area, String subject, String detail, String fix) {
    }

    /** The findings, most severe first. */
    public record Report(List<Finding> findings) {
        public Report {
            findings = findings.stream().sorted(java.util.Comparator.comparing(Finding::severity)).toList();
        }

        public long count(Severity severity) {
            return findings.stream().filter(f -> f.severity() == severity).count();
        }

        public boolean anyHigh() {
            return count(Severity.HIGH) > 0;
        }
    }

    static final String SAFE_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Capabilities in the bounding set that would let a process that gains them leave the box. */
    private static final Set<Integer> DANGEROUS_CAPS = Set.of(2, 16, 17, 21); // DAC_READ_SEARCH, SYS_MODULE, SYS_RAWIO, SYS_ADMIN
    private static final String[] CAP_NAMES = {"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID",
        "KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN",
        "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
        "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE",
        "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
        "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE"};
    private static final Pattern TOKEN_LIKE = Pattern.compile(
            "(?i).*(TOKEN|SECRET|PASSW|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|_AUTH|AUTH_).*");
    /** Mount targets the agent is meant to write (its working copy and the git view). */
    private static final Set<String> EXPECTED_WRITABLE = Set.of(ImageLayout.WORKSPACE, ImageLayout.GIT_VIEW);
    private static final Set<String> VIRTUAL_FS = Set.of("proc", "sysfs", "tmpfs", "devpts", "mqueue", "cgroup",
            "cgroup2", "overlay", "shm", "devtmpfs", "securityfs", "nsfs", "bpf", "fusectl", "tracefs", "debugfs");

    private Inspector() {
    }

    /** The probe as a command for a root exec: {@code env -i} with a fixed PATH, the script and its arguments. */
    public static List<String> command(ProtectedPaths paths) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/env", "-i", "PATH=" + SAFE_PATH, "/bin/sh", "-c",
                script(), "claude-devc-inspect", ProtectedPaths.DANGEROUS_GIT_KEYS));
        command.addAll(containerPaths(paths));
        return command;
    }

    /** Where each protected path is inside the container: the workspace, and the git paths in the git view too. */
    static List<String> containerPaths(ProtectedPaths paths) {
        List<String> out = new ArrayList<>();
        out.add(ImageLayout.WORKSPACE + "/.git");
        for (ProtectedPaths.Entry e : paths.entries()) {
            out.add(ImageLayout.WORKSPACE + "/" + e.name());
            if (e.inGitDir()) {
                out.add(ImageLayout.GIT_VIEW + "/" + e.name().substring(".git/".length()));
            }
        }
        return out;
    }

    /** Runs the probe in {@code container} and classifies what it saw. */
    public static Report inspect(DockerEngine engine, String container, ProtectedPaths paths) {
        ExecResult result = engine.exec(container, "root", command(paths), TIMEOUT);
        if (result.timedOut() || !result.output().contains("agent\t")) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.VERIFICATION_FAILED, "the inspection probe did not "
                    + "run in " + container + (result.timedOut() ? " (timed out)" : ": " + result.lastLine()));
        }
        return classify(result.output());
    }

    static String script() {
        try (InputStream in = Inspector.class.getResourceAsStream("/claude-devc/inspect-probe.sh")) {
            if (in == null) {
                throw new IllegalStateException("inspect-probe.sh is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The findings in the probe's output (one fact per line, tab-separated). */
    public static Report classify(String output) {
        List<Finding> findings = new ArrayList<>();
        List<String> firewall = new ArrayList<>();
        List<String[]> mounts = new ArrayList<>();
        boolean gitMounted = false;
        boolean gitExists = false;
        for (String line : output.split("\n")) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "agent" -> {
                    if (f.length > 2 && f[2].equals("0")) {
                        findings.add(new Finding(Severity.HIGH, "user", f[1], "the agent's processes run as root",
                                "run as the descriptor's non-root user (containerUser/remoteUser in devcontainer.json)"));
                    }
                }
                case "protected" -> {
                    if (f.length < 3) {
                        continue;
                    }
                    if (f[1].equals(ImageLayout.WORKSPACE + "/.git") && (f[2].equals("writable")
                            || f[2].equals("read-only"))) {
                        gitExists = true;
                    }
                    if (f[2].equals("writable") || f[2].equals("creatable")) {
                        findings.add(new Finding(Severity.HIGH, "protected-path", f[1], "the agent can "
                                + (f[2].equals("writable") ? "write it" : "create it") + ": a host runs or trusts it",
                                "start the container from the generated devcontainer.json (its read-only mounts); "
                                        + "claude-devc validate"));
                    }
                }
                case "mount" -> {
                    if (f.length >= 5) {
                        mounts.add(f);
                        if (f[1].equals(ImageLayout.WORKSPACE + "/.git")) {
                            gitMounted = true;
                        }
                    }
                }
                case "cap" -> capability(f, findings);
                case "socket" -> socket(f, findings);
                case "credential" -> {
                    if (f.length >= 4) {
                        boolean ide = f[3].equals("ide");
                        findings.add(new Finding(ide ? Severity.HIGH : Severity.MEDIUM, "credential", f[2] + " ("
                                + f[1] + ")", ide ? "the IDE's forwarded git credential helper: it asks the host for "
                                + "credentials for any host" : "a git credential helper is configured",
                                ide ? "run the attach step (" + ImageLayout.ATTACH_COMMAND + "), and set "
                                        + "dev.containers.gitCredentialHelperConfigLocation to \"none\" on the host"
                                        : "remove it unless the agent should push with it"));
                    }
                }
                case "dockercred" -> findings.add(new Finding(f.length > 2 && f[2].equals("ide") ? Severity.HIGH
                        : Severity.MEDIUM, "credential", f.length > 1 ? f[1] : "docker", "a Docker credential helper "
                        + "is configured", "set dev.containers.dockerCredentialHelper to false on the host"));
                case "env" -> env(f, findings);
                case "tamper" -> findings.add(new Finding(Severity.HIGH, "tamper", f.length > 1 ? f[1] : "?",
                        "a " + (f.length > 2 ? f[2] : "redirect") + " file redirects the repository's config and hooks",
                        "delete it on the host before any git runs there (the host step refuses to start until then)"));
                case "nested-gitfile" -> findings.add(new Finding(Severity.HIGH, "tamper", f.length > 1 ? f[1] : "?",
                        "a nested .git file redirects git (gitdir: " + (f.length > 2 ? f[2] : "") + ")",
                        "delete it on the host before a host IDE scans the folder"));
                case "nested-config" -> findings.add(new Finding(Severity.HIGH, "tamper", f.length > 1 ? f[1] : "?",
                        "a nested repository's config sets " + (f.length > 2 ? f[2].strip() : "")
                                + ", which run commands for a host's git",
                        "delete the nested repository or those keys on the host before a host IDE scans it"));
                case "nested-hook" -> findings.add(new Finding(Severity.HIGH, "tamper", f.length > 1 ? f[1] : "?",
                        "a hook in a nested repository", "delete it on the host"));
                case "firewall" -> firewall.add(f.length > 1 ? f[1] : "");
                case "attach" -> {
                    if (f.length > 1 && f[1].startsWith("attached=")) {
                        findings.add(new Finding(Severity.INFO, "attach", "attach step", "last ran at "
                                + f[1].substring("attached=".length()), "-"));
                    }
                }
                default -> {
                }
            }
        }
        if (gitExists && !gitMounted) {
            findings.add(new Finding(Severity.HIGH, "protected-path", ImageLayout.WORKSPACE + "/.git", "not a mount "
                    + "point: the agent can rename it and put a .git of its own (config, hooks) in its place",
                    "start the container from the generated devcontainer.json"));
        }
        mounts(mounts, findings);
        FirewallStatus status = FirewallStatus.parse(String.join("\n", firewall));
        if (firewall.contains("result=absent")) {
            findings.add(new Finding(Severity.HIGH, "firewall", ImageLayout.FIREWALL, "no claude-devc firewall in "
                    + "this container", "build the image from the generated Dockerfile"));
        } else if (!status.inForce()) {
            findings.add(new Finding(Severity.HIGH, "firewall", "egress", "the firewall is " + status.summary(),
                    "restart the container (its entrypoint applies the firewall); see docker logs"));
        } else {
            findings.add(new Finding(Severity.INFO, "firewall", "egress", "in force (live status check passed)", "-"));
        }
        return new Report(findings);
    }

    private static void capability(String[] f, List<Finding> findings) {
        if (f.length < 3) {
            return;
        }
        if (f[1].equals("NoNewPrivs")) {
            return;
        }
        long bits;
        try {
            bits = Long.parseUnsignedLong(f[2], 16);
        } catch (NumberFormatException e) {
            return;
        }
        List<String> names = new ArrayList<>();
        List<String> dangerous = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            if ((bits & (1L << i)) != 0) {
                String name = i < CAP_NAMES.length ? CAP_NAMES[i] : "CAP_" + i;
                names.add(name);
                if (DANGEROUS_CAPS.contains(i)) {
                    dangerous.add(name);
                }
            }
        }
        if (f[1].equals("CapEff")) {
            if (bits != 0) {
                findings.add(new Finding(Severity.HIGH, "capability", "effective", "the agent's processes hold "
                        + String.join(", ", names), "run the agent as the non-root user"));
            }
        } else if (f[1].equals("CapBnd")) {
            findings.add(new Finding(dangerous.isEmpty() ? Severity.INFO : Severity.HIGH, "capability", "bounding set",
                    dangerous.isEmpty() ? String.join(", ", names) : "includes " + String.join(", ", dangerous)
                            + ", which can undo the read-only mounts", dangerous.isEmpty() ? "-"
                            : "remove --cap-add/--privileged from devcontainer.json (claude-devc validate)"));
        }
    }

    private static void socket(String[] f, List<Finding> findings) {
        if (f.length < 3) {
            return;
        }
        String path = f[1];
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        boolean reachable = f[2].equals("yes");
        String what;
        String fix;
        if (name.startsWith("vscode-ssh-auth")) {
            what = "the host's SSH agent, forwarded by VS Code";
            fix = "run the attach step; on the host, do not run an ssh-agent for VS Code, or open this folder in a "
                    + "window without one";
        } else if (name.startsWith("s.gpg-agent")) {
            what = "a forwarded GPG agent";
            fix = "run the attach step; do not forward gpg-agent";
        } else if (name.startsWith("vscode-remote-containers-ipc") || name.startsWith("vscode-ipc")
                || name.startsWith("vscode-git")) {
            what = "a VS Code IPC socket that runs requests on the host";
            fix = "run the attach step (" + ImageLayout.ATTACH_COMMAND + "); only the host settings stop VS Code "
                    + "from creating new ones";
        } else if (name.contains("docker") || name.contains("podman") || name.contains("containerd")) {
            what = "a container runtime's socket: root on the host";
            fix = "remove the socket mount from devcontainer.json (claude-devc validate refuses it)";
        } else {
            findings.add(new Finding(Severity.INFO, "socket", path, reachable ? "the agent can connect" : "not "
                    + "reachable by the agent", "-"));
            return;
        }
        findings.add(new Finding(reachable ? Severity.HIGH : Severity.INFO, "socket", path, what
                + (reachable ? "; the agent can connect" : "; not reachable by the agent"), fix));
    }

    private static void env(String[] f, List<Finding> findings) {
        if (f.length < 3 || !f[2].equals("set")) {
            return;
        }
        String name = f[1];
        if (dev.claudedevc.model.Forwarding.VARIABLES.contains(name)) {
            findings.add(new Finding(Severity.HIGH, "env", name, "set in a process of the agent's user: it points at "
                    + "a capability forwarded from the host", "start from the generated devcontainer.json (remoteEnv "
                    + "empties it) and set the host settings (README, \"Forwarded credentials\")"));
        } else if (TOKEN_LIKE.matcher(name).matches()) {
            findings.add(new Finding(Severity.MEDIUM, "env", name, "a token-like variable the agent can read "
                    + "(value not shown)", "give the container only credentials the agent may use, scoped"));
        }
    }

    private static void mounts(List<String[]> mounts, List<Finding> findings) {
        for (String[] m : mounts) {
            String target = m[1];
            String root = m[2];
            boolean rw = m[3].equals("rw");
            String fs = m[4];
            if (!rw || VIRTUAL_FS.contains(fs) || target.equals("/") || root.startsWith("/var/lib/docker/volumes/")
                    || root.startsWith("/var/lib/docker/containers/") || root.contains("/volumes/")) {
                continue;
            }
            if (EXPECTED_WRITABLE.contains(target)) {
                findings.add(new Finding(Severity.INFO, "mount", target, "writable host folder (" + root + "): the "
                        + "agent's working copy", "-"));
            } else {
                findings.add(new Finding(Severity.HIGH, "mount", target, "a writable host path (" + root + ")",
                        "mount it readonly, or not at all"));
            }
        }
    }
}
