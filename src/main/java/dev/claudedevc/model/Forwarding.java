package dev.claudedevc.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an IDE forwards from the host into a dev container, and what claude-devc does about it: the environment
 * variables devcontainer.json's {@code remoteEnv} empties, and the host settings only the person can change.
 */
public final class Forwarding {

    /** Variables that point processes at a forwarded host capability (an agent, a command runner, a helper). */
    public static final List<String> VARIABLES = List.of("SSH_AUTH_SOCK", "GPG_AGENT_INFO", "VSCODE_IPC_HOOK_CLI",
            "REMOTE_CONTAINERS_IPC", "REMOTE_CONTAINERS_SOCKETS", "VSCODE_GIT_IPC_HANDLE", "GIT_ASKPASS", "BROWSER",
            "VSCODE_GIT_ASKPASS_MAIN", "VSCODE_GIT_ASKPASS_NODE", "VSCODE_GIT_ASKPASS_EXTRA_ARGS");

    /** What the forwarded git credential helper needs; kept when the descriptor opts in. */
    public static final List<String> GIT_CREDENTIAL_VARIABLES = List.of("REMOTE_CONTAINERS_IPC",
            "VSCODE_GIT_IPC_HANDLE", "GIT_ASKPASS", "VSCODE_GIT_ASKPASS_MAIN", "VSCODE_GIT_ASKPASS_NODE",
            "VSCODE_GIT_ASKPASS_EXTRA_ARGS");

    /**
     * One host setting of VS Code (user settings.json) that only the person can change.
     *
     * @param setting the setting and the value to give it
     * @param why     one sentence
     */
    public record HostSetting(String setting, String why) {
    }

    public static final List<HostSetting> HOST_SETTINGS = List.of(
            new HostSetting("\"dev.containers.gitCredentialHelperConfigLocation\": \"none\"",
                    "otherwise VS Code installs a git credential helper in the container that hands the agent your "
                            + "host's git credentials for any host it asks about"),
            new HostSetting("\"dev.containers.copyGitConfig\": false",
                    "otherwise your host's ~/.gitconfig (its helpers, aliases and tokens in URLs) is copied in"),
            new HostSetting("\"dev.containers.dockerCredentialHelper\": false",
                    "otherwise a Docker credential helper in the container reads your host's registry logins"),
            new HostSetting("\"dev.containers.forwardWSLServices\": false",
                    "otherwise (on Windows) the WSL SSH and GPG agents are forwarded into the container"),
            new HostSetting("\"remote.autoForwardPorts\": false",
                    "otherwise a port the agent listens on is forwarded to your host's localhost automatically"));

    private Forwarding() {
    }

    /** devcontainer.json's remoteEnv: each forwarding variable emptied, but those the opt-in keeps. */
    public static Map<String, String> remoteEnv(boolean forwardGitCredentials) {
        Map<String, String> env = new TreeMap<>();
        for (String name : VARIABLES) {
            if (!(forwardGitCredentials && GIT_CREDENTIAL_VARIABLES.contains(name))) {
                env.put(name, "");
            }
        }
        return env;
    }
}
