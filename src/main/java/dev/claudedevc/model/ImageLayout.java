package dev.claudedevc.model;

import java.util.List;

/** Where the firewall's files live inside every generated image (firewall/README.md, "Runtime layout"). */
public final class ImageLayout {

    /** The firewall script, root-owned 0755; the user may run it through sudo with no arguments. */
    public static final String FIREWALL = "/usr/local/sbin/claude-devc-firewall";
    /** The image's ENTRYPOINT, root-owned 0755: applies the firewall at every container start. */
    public static final String ENTRYPOINT = "/usr/local/sbin/claude-devc-entrypoint";
    /** The rendered policy, root-owned 0644. */
    public static final String POLICY = "/etc/claude-devc/policy.conf";
    /**
     * Claude Code's managed settings on Linux, root-owned 0644: the highest-precedence settings file, which the
     * user's and the project's settings cannot override.
     */
    public static final String MANAGED_SETTINGS = "/etc/claude-code/managed-settings.json";
    /** Where the project is mounted inside the container (devcontainer.json workspaceFolder, the image's WORKDIR). */
    public static final String WORKSPACE = "/workspace";
    /**
     * The firewall's denial record as one line each ("blocked by the dev container firewall: HOST — ask to add it
     * to claude-devc.yaml"), for the agent's user and Claude Code's managed hook; root-owned 0755.
     */
    public static final String DENIALS = "/usr/local/bin/claude-devc-denials";
    /** The resolver's query log, readable by every user. */
    public static final String DNS_LOG = "/var/log/claude-devc/dns.log";

    /**
     * The only commands the agent's user may run as root, each exactly (sudoers: {@code ""} means no arguments).
     * The Dockerfile writes these entries and refuses a base image that grants anything else.
     */
    public static final List<String> SUDO_COMMANDS = List.of(
            FIREWALL + " \"\"",     // apply: what the entrypoint runs at every start
            FIREWALL + " status",   // the live check: reading the kernel's tables needs root
            FIREWALL + " denials"); // the rejected connections: reading the kernel's sets needs root

    /** How a start waits for the firewall: returns once it is in force for this start, fails when it failed. */
    public static final String WAIT_COMMAND = FIREWALL + " wait";
    /** The live check as the user runs it (through the exact sudo entry). */
    public static final List<String> STATUS_COMMAND = List.of(FIREWALL, "status");

    private ImageLayout() {
    }
}
