package dev.claudedevc.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A project's claude-devc descriptor ({@code claude-devc.yaml}), validated.
 *
 * @param name            project name, {@code [a-z0-9][a-z0-9._-]*}; names the image and the volumes
 * @param image           base image reference (Debian-based: the Dockerfile uses apt)
 * @param user            the non-root user the agent runs as
 * @param packages        extra Debian packages, sorted and unique
 * @param timezone        an IANA zone name such as {@code Europe/Berlin}
 * @param claudeCode      how Claude Code is installed
 * @param network         the egress policy
 * @param vscode          VS Code customisations
 * @param containerEnv    environment of the running container, sorted by name
 * @param caCertificates  extra CA certificate files, relative to the descriptor's folder
 * @param proxy           outbound proxy settings, if any
 * @param output          the folder, relative to the project, the files are rendered into
 * @param toolchains      the language toolchains the image carries
 * @param workspace       the workspace boundary: read-only paths, forwarded credentials
 */
public record Descriptor(
        String name,
        String image,
        String user,
        List<String> packages,
        String timezone,
        ClaudeCode claudeCode,
        NetworkPolicy network,
        VsCode vscode,
        Map<String, String> containerEnv,
        List<String> caCertificates,
        Optional<Proxy> proxy,
        OutputFolder output,
        Toolchains toolchains,

        WorkspaceBoundary workspace) {

    public Descriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(user, "user");
        packages = List.copyOf(packages);
        Objects.requireNonNull(timezone, "timezone");
        Objects.requireNonNull(claudeCode, "claudeCode");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(vscode, "vscode");
        containerEnv = Map.copyOf(containerEnv);
        caCertificates = List.copyOf(caCertificates);
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(toolchains, "toolchains");
        Objects.requireNonNull(workspace, "workspace");
    }

    /** The home directory of {@link #user()} in the image. */
    public String home() {
        return "/home/" + user;
    }
}
