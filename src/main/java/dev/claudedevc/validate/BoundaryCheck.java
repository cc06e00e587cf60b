package dev.claudedevc.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudedevc.model.ImageLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Refuses a devcontainer.json that gives the container a way around its walls: the read-only mounts over the
 * workspace (privileged, CAP_SYS_ADMIN, no seccomp or AppArmor, host namespaces), the firewall (the host's network),
 * or the host itself (the Docker socket, an {@code initializeCommand} claude-devc did not generate, Features from a
 * registry). Each problem names the offending key, e.g. {@code runArgs[3]}.
 */
public final class BoundaryCheck {

    /** Capabilities that undo mounts or reach the host kernel. */
    static final Set<String> REFUSED_CAPABILITIES = Set.of("ALL", "SYS_ADMIN", "SYS_MODULE", "SYS_RAWIO",
            "DAC_READ_SEARCH");
    /** Namespace options whose {@code host} value shares the host's. */
    static final Set<String> NAMESPACE_OPTIONS = Set.of("--pid", "--ipc", "--userns", "--uts", "--network", "--net",
            "--cgroupns");
    /** Options whose value is the next argument when not given as {@code --opt=value}. */
    static final Set<String> WITH_VALUE = Set.of("--cap-add", "--security-opt", "--pid", "--ipc", "--userns", "--uts",
            "--network", "--net", "--cgroupns", "-v", "--volume", "--mount", "--device", "--volumes-from",
            "--cap-drop", "--sysctl", "--add-host", "--label", "-l", "--hostname", "-h", "--name", "--shm-size",
            "--memory", "-m", "--memory-swap", "--memory-reservation", "--cpus", "--cpu-shares", "--cpuset-cpus",
            "--ulimit", "--restart", "--stop-timeout", "--gpus", "--platform", "--dns", "--dns-search", "--dns-option",
            "--entrypoint", "-e", "--env", "--env-file", "-u", "--user", "--group-add", "--tmpfs", "--workdir", "-w");
    /**
     * Options that change nothing the walls rely on (resources, names, labels, extra host names, DNS servers the
     * firewall's resolver forwards to). Every other option is refused: an unknown one is not assumed safe.
     */
    static final Set<String> HARMLESS = Set.of("--add-host", "--label", "-l", "--hostname", "-h", "--name",
            "--shm-size", "--memory", "-m", "--memory-swap", "--memory-reservation", "--cpus", "--cpu-shares",
            "--cpuset-cpus", "--ulimit", "--restart", "--stop-timeout", "--gpus", "--platform", "--dns",
            "--dns-search", "--dns-option", "--workdir", "-w", "--rm", "--read-only");
    /** Options refused outright, each with why. */
    private static final String ENV_OUTSIDE = "sets the container's environment outside containerEnv, where loader "
            + "and shell start-up variables are refused";
    private static final String OTHER_USER = "changes the user the container runs as (the image's user is the "
            + "non-root one)";
    static final Map<String, String> REFUSED_OPTIONS = Map.ofEntries(
            Map.entry("--entrypoint", "replaces the image's entrypoint, which applies the firewall at every start"),
            Map.entry("-e", ENV_OUTSIDE),
            Map.entry("--env", ENV_OUTSIDE),
            Map.entry("--env-file", "sets the container's environment from a file nobody checks"),
            Map.entry("-u", OTHER_USER),
            Map.entry("--user", OTHER_USER),
            Map.entry("--group-add", "gives the agent's user more groups (a group can own a socket or sudo rule)"),
            Map.entry("--tmpfs", "mounts over the image's own paths (the firewall, its state, sudoers, settings)"),
            Map.entry("--init", "the init comes from the init key (true), which reaps the firewall's resolver"));
    /** Kernel settings runArgs may change: none that touch the walls. */
    static final Set<String> HARMLESS_SYSCTLS = Set.of("net.ipv4.ip_unprivileged_port_start");

    /**
     * What claude-devc itself generates and this check accepts exactly.
     *
     * @param outputDir         the output folder relative to the workspace (names the seccomp profile's path)
     * @param initializeCommand the generated host step, or null when none is generated
     * @param protectiveMounts  the read-only mounts over the workspace, each of which must be present
     * @param remoteEnv         forwarding variables remoteEnv must set, each to its value (empty)
     */
    public record Expected(String outputDir, JsonNode initializeCommand, List<String> protectiveMounts,
            Map<String, String> remoteEnv) {
        public Expected {
            protectiveMounts = List.copyOf(protectiveMounts);
            remoteEnv = Map.copyOf(remoteEnv);
        }

        /** The only seccomp option accepted: the generated profile. */
        public String seccompOption() {
            return "seccomp=${localWorkspaceFolder}/" + outputDir + "/" + ImageLayout.SECCOMP_FILE;
        }
    }

    private static final String WORKSPACE = "${localWorkspaceFolder}";

    private BoundaryCheck() {
    }

    /** @return problems, one line each naming the key (empty when fine) */
    public static List<String> check(JsonNode json, Expected expected) {
        List<String> problems = new ArrayList<>();
        if (!json.isObject()) {
            return problems; // DevcontainerCheck reports that
        }
        runArgs(json.path("runArgs"), expected, problems);
        if (json.path("privileged").asBoolean(false) || json.path("privileged").asText("").equals("true")) {
            problems.add("privileged: a privileged container can remount the read-only workspace paths and reach "
                    + "the host's devices");
        }
        JsonNode capAdd = json.path("capAdd");
        for (int i = 0; i < capAdd.size(); i++) {
            capability(capAdd.get(i).asText(""), "capAdd[" + i + "]", problems);
        }
        if (json.has("securityOpt")) {
            problems.add("securityOpt: security options are refused (the generated seccomp profile goes in runArgs "
                    + "as --security-opt=" + expected.seccompOption() + ")");
        }
        if (json.has("features") && !(json.get("features").isObject() && json.get("features").isEmpty())) {
            problems.add("features: Dev Container Features come from a registry and run as root at build; "
                    + "install what you need in the Dockerfile (the descriptor's packages)");
        }
        if (json.has("init") && !json.get("init").asBoolean(true)) {
            problems.add("init: must be true (the init reaps the firewall's resolver and the attach step)");
        }
        JsonNode init = json.path("initializeCommand");
        if (expected.initializeCommand() == null ? !init.isMissingNode() : !expected.initializeCommand().equals(init)) {
            problems.add("initializeCommand: runs on the host at every start; it must be exactly "
                    + (expected.initializeCommand() == null ? "absent" : expected.initializeCommand().toString())
                    + " (is " + (init.isMissingNode() ? "unset" : init.toString()) + ")");
        }
        JsonNode remoteEnv = json.path("remoteEnv");
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(expected.remoteEnv()).entrySet()) {
            if (!remoteEnv.path(e.getKey()).isTextual() || !remoteEnv.path(e.getKey()).asText().equals(e.getValue())) {
                problems.add("remoteEnv." + e.getKey() + ": must be \"" + e.getValue() + "\" (it points processes "
                        + "at a capability forwarded from the host)");
            }
        }
        if (!json.path("postAttachCommand").asText("").equals(ImageLayout.ATTACH_COMMAND)) {
            problems.add("postAttachCommand: must be exactly \"" + ImageLayout.ATTACH_COMMAND + "\" (after each "
                    + "attach it removes the forwarded git credential helper and sockets), is "
                    + (json.has("postAttachCommand") ? json.get("postAttachCommand").toString() : "unset"));
        }
        JsonNode mounts = json.path("mounts");
        List<String> present = new ArrayList<>();
        for (int i = 0; i < mounts.size(); i++) {
            JsonNode m = mounts.get(i);
            String key = "mounts[" + i + "]";
            String source = m.isObject() ? m.path("source").asText("") : field(m.asText(""), "source", "src");
            socket(source, key, problems);
            if (m.isTextual()) {
                present.add(m.asText());
            }
            boolean readOnly = m.isObject() ? m.path("readonly").asBoolean(false)
                    : List.of(m.asText("").split(",")).stream().map(String::strip)
                            .anyMatch(o -> o.equals("readonly") || o.equals("ro") || o.equals("readonly=true"));
            if (source.startsWith(WORKSPACE) && !readOnly && !expected.protectiveMounts().contains(m.asText())) {
                problems.add(key + ": a writable bind of the workspace (" + source + ") beside the generated ones "
                        + "can reach the protected paths; make it readonly");
            }
        }
        for (String required : expected.protectiveMounts()) {
            if (!present.contains(required)) {
                problems.add("mounts: lacks " + required + " (it keeps a path the host runs or trusts read-only)");
            }
        }
        if (json.has("workspaceMount")) {
            String workspaceMount = json.get("workspaceMount").asText("");
            socket(field(workspaceMount, "source", "src"), "workspaceMount", problems);
            String target = field(workspaceMount, "target", "dst");
            if (!target.equals(ImageLayout.WORKSPACE) && !field(workspaceMount, "destination", "dst").equals(ImageLayout.WORKSPACE)) {
                problems.add("workspaceMount: the workspace must be mounted at " + ImageLayout.WORKSPACE
                        + " (the read-only mounts protect paths below it), not '" + target + "'");
            }
        }
        return problems;
    }

    /** Whether an ip_unprivileged_port_start value keeps port 53 root's (and is a number the kernel takes). */
    static boolean privilegedPortsStayRoots(String value) {
        return value.matches("[0-9]{1,5}") && Integer.parseInt(value) > 53 && Integer.parseInt(value) <= 65535;
    }

    private static void runArgs(JsonNode runArgs, Expected expected, List<String> problems) {
        List<String> args = new ArrayList<>();
        runArgs.forEach(a -> args.add(a.asText("")));
        for (int i = 0; i < args.size(); i++) {
            String key = "runArgs[" + i + "]";
            String arg = args.get(i);
            String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value;
            if (arg.contains("=") && arg.startsWith("--")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (WITH_VALUE.contains(arg)) {
                if (i + 1 >= args.size()) {
                    problems.add(key + ": " + arg + " has no value");
                    continue;
                }
                value = args.get(++i);
            } else if (arg.startsWith("-v") && arg.length() > 2 && !arg.startsWith("--")) {
                option = "-v";
                value = arg.substring(2);
            } else {
                value = "";
            }
            option = option.toLowerCase(Locale.ROOT);
            if (option.equals("--privileged")) {
                if (!value.equalsIgnoreCase("false")) {
                    problems.add(key + ": --privileged can remount the read-only workspace paths, reach the host's "
                            + "devices and undo the firewall");
                }
            } else if (option.equals("--cap-add")) {
                capability(value, key, problems);
            } else if (option.equals("--security-opt")) {
                securityOpt(value, key, expected, problems);
            } else if (NAMESPACE_OPTIONS.contains(option)) {
                String v = value.toLowerCase(Locale.ROOT);
                if (v.equals("host") || v.startsWith("container:") || v.startsWith("ns:")) {
                    problems.add(key + ": " + option + " " + value + " shares another namespace ("
                            + (option.startsWith("--net") ? "the firewall only filters the container's own network"
                                    : "it reaches processes or users outside the container") + ")");
                }
            } else if (option.equals("-v") || option.equals("--volume")) {
                String source = value.contains(":") ? value.substring(0, value.indexOf(':')) : value;
                socket(source, key, problems);
                workspaceInRunArgs(source, key, problems);
            } else if (option.equals("--mount")) {
                socket(field(value, "source", "src"), key, problems);
                workspaceInRunArgs(field(value, "source", "src"), key, problems);
            } else if (option.equals("--device")) {
                problems.add(key + ": --device gives the container a host device");
            } else if (option.equals("--volumes-from")) {
                problems.add(key + ": --volumes-from mounts another container's volumes (and whatever sockets "
                        + "they hold)");
            } else if (option.equals("--cap-drop")) {
                for (String cap : value.split(",")) {
                    String name = cap.strip().toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
                    if (name.equals("ALL") || name.equals("NET_ADMIN")) {
                        problems.add(key + ": --cap-drop " + value + " drops NET_ADMIN, without which the firewall "
                                + "cannot be applied (the container would not start)");
                    }
                }
            } else if (option.equals("--sysctl")) {
                String name = value.contains("=") ? value.substring(0, value.indexOf('=')) : value;
                if (!HARMLESS_SYSCTLS.contains(name.strip())) {
                    problems.add(key + ": --sysctl " + value + " is not a kernel setting claude-devc knows to be safe"
                            + " (allowed: " + String.join(", ", new java.util.TreeSet<>(HARMLESS_SYSCTLS)) + ")");
                } else if (!privilegedPortsStayRoots(value.substring(value.indexOf('=') + 1).strip())) {
                    problems.add(key + ": --sysctl " + value + " lets the agent's user bind port 53 beside the "
                            + "firewall's resolver and swallow its queries (at most 1024, at least 54)");
                }
            } else if (REFUSED_OPTIONS.containsKey(option)) {
                problems.add(key + ": " + arg + " is refused: it " + REFUSED_OPTIONS.get(option));
            } else if (!HARMLESS.contains(option)) {
                problems.add(key + ": " + (arg.startsWith("-") ? arg + " is not an option claude-devc knows to be safe"
                        : "'" + arg + "' is not an option (a value without its option?)") + "; runArgs may hold "
                        + "--cap-add, --security-opt (the generated seccomp profile), --network NAME, mounts of "
                        + "named volumes and " + String.join(", ", new java.util.TreeSet<>(HARMLESS)));
            }
        }
    }

    private static void workspaceInRunArgs(String source, String key, List<String> problems) {
        if (source.startsWith(WORKSPACE)) {
            problems.add(key + ": binds the workspace (" + source + ") outside the generated mounts, where the "
                    + "protected paths would be writable");
        }
    }

    private static void capability(String value, String key, List<String> problems) {
        for (String cap : value.split(",")) {
            String name = cap.strip().toUpperCase(Locale.ROOT);
            name = name.startsWith("CAP_") ? name.substring(4) : name;
            if (REFUSED_CAPABILITIES.contains(name)) {
                problems.add(key + ": capability " + cap.strip() + " is refused: "
                        + (name.equals("ALL") ? "it includes SYS_ADMIN, which can remount the read-only paths"
                                : name.equals("SYS_ADMIN") ? "it can remount the read-only workspace paths"
                                        : "it reaches the host kernel or its files"));
            }
        }
    }

    private static void securityOpt(String value, String key, Expected expected, List<String> problems) {
        // Docker accepts both name=value and the older name:value.
        String v = value.strip();
        int sep = v.indexOf('=') >= 0 && (v.indexOf(':') < 0 || v.indexOf('=') < v.indexOf(':'))
                ? v.indexOf('=') : v.indexOf(':');
        String name = (sep < 0 ? v : v.substring(0, sep)).toLowerCase(Locale.ROOT);
        String setting = sep < 0 ? "" : v.substring(sep + 1);
        switch (name) {
            case "seccomp" -> {
                if (!v.equals(expected.seccompOption())) {
                    problems.add(key + ": --security-opt " + value + " is refused: the only seccomp profile allowed "
                            + "is the generated one (" + expected.seccompOption() + ")");
                }
            }
            case "apparmor", "label", "systempaths" -> {
                if (setting.equalsIgnoreCase("unconfined") || setting.equalsIgnoreCase("disable")
                        || name.equals("systempaths")) {
                    problems.add(key + ": --security-opt " + value + " removes a confinement the read-only mounts "
                            + "rely on");
                }
            }
            case "no-new-privileges" -> {
                if (setting.equalsIgnoreCase("false")) {
                    problems.add(key + ": --security-opt " + value + " is refused");
                }
            }
            default -> problems.add(key + ": --security-opt " + value + " is not one claude-devc knows to be safe");
        }
    }

    /** Refuses a mount source that is a socket or a runtime folder holding one (the Docker socket is root on the host). */
    private static void socket(String source, String key, List<String> problems) {
        String s = source.strip().toLowerCase(Locale.ROOT);
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        boolean runtimeDir = Map.of("/var/run", 0, "/run", 0, "/var/run/docker", 0, "/run/docker", 0,
                "/run/user", 0, "/var/lib/docker", 0, "/run/containerd", 0, "/run/podman", 0).containsKey(s);
        if (s.endsWith(".sock") || s.contains("docker.sock") || s.contains("podman.sock") || runtimeDir
                || s.startsWith("npipe:") || s.contains("docker_engine")) {
            problems.add(key + ": mounts " + source + ": a container runtime's socket (or its folder) lets the "
                    + "agent start a privileged container on the host");
        }
    }

    /** The value of {@code name} (or its alias) in a {@code --mount}-style {@code k=v,k=v} string. */
    static String field(String spec, String name, String alias) {
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String k = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                if (k.equals(name) || k.equals(alias)) {
                    return part.substring(eq + 1).strip();
                }
            }
        }
        return "";
    }
}
