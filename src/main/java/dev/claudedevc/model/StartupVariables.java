package dev.claudedevc.model;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Environment variables that make a process load or run code it was not asked to: the dynamic loader's, the
 * shells' start-up hooks, interpreters' option and library variables, git's command hooks. A container's
 * environment reaches every process in it, root's too ({@code docker exec -u 0}, the IDE's tooling), so none of
 * these may be set through the descriptor's {@code containerEnv} or a devcontainer.json's
 * {@code containerEnv}/{@code remoteEnv}. The one list: the reader, {@code validate} and the README use it.
 */
public final class StartupVariables {

    /** Names refused exactly. */
    public static final Set<String> NAMES = Set.of(
            // shells: start-up files, options, hooks run before every prompt or command
            "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "PROMPT_COMMAND", "PS4", "IFS", "GLOBIGNORE", "CDPATH",
            "ZDOTDIR", "BASH_XTRACEFD",
            // glibc: tunables (CVE-2023-4911), charset converters and host aliases loaded by every program
            "GLIBC_TUNABLES", "GCONV_PATH", "HOSTALIASES", "LOCALDOMAIN", "RES_OPTIONS",
            // interpreters: options and module paths read at start
            "NODE_OPTIONS", "NODE_PATH", "PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME", "PYTHONINSPECT",
            "PERL5OPT", "PERL5LIB", "PERLLIB", "PERL5DB", "RUBYOPT", "RUBYLIB",
            "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
            // OpenSSL loads engines and providers named in its configuration
            "OPENSSL_CONF", "OPENSSL_ENGINES", "OPENSSL_MODULES",
            // git: variables that name a program git runs, or configuration that can
            "GIT_EXEC_PATH", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS", "GIT_PAGER", "GIT_EDITOR",
            "GIT_SEQUENCE_EDITOR", "GIT_EXTERNAL_DIFF", "GIT_PROXY_COMMAND", "GIT_CONFIG", "GIT_CONFIG_GLOBAL",
            "GIT_CONFIG_SYSTEM", "GIT_CONFIG_COUNT", "GIT_CONFIG_PARAMETERS", "GIT_TEMPLATE_DIR", "GIT_DIR",
            "GIT_WORK_TREE",
            // programs that other programs run for a password or a preview
            "SSH_ASKPASS", "SUDO_ASKPASS", "LESSOPEN", "LESSCLOSE");

    /** Name prefixes refused: the dynamic loader's (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT...), macOS's, git's. */
    public static final List<String> PREFIXES = List.of("LD_", "DYLD_", "GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_",
            "BASH_FUNC_");

    private StartupVariables() {
    }

    /** Why {@code name} may not be set in a container's environment, or empty when it may. */
    public static Optional<String> refusal(String name) {
        boolean refused = NAMES.contains(name) || PREFIXES.stream().anyMatch(name::startsWith);
        return refused ? Optional.of("'" + name + "' makes programs load or run other code (loader, shell or"
                + " interpreter start-up variable); set in the container's environment it reaches root's processes"
                + " too (docker exec -u 0), so it is refused") : Optional.empty();
    }
}
