package dev.claudedevc.cli;

import dev.claudedevc.docker.EngineFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root command: global options and the list of subcommands. */
@Command(
        name = "claude-devc",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Generates a dev container for unattended Claude Code whose network egress is default-deny "
                + "with an allowlist, builds it, and proves the firewall holds.",
        subcommands = {
            InitCommand.class,
            GenerateCommand.class,
            ValidateCommand.class,
            BuildCommand.class,
            VerifyCommand.class,
            AuditCommand.class,
            CheckCommand.class,
            InspectCommand.class,
            ApplyCommand.class,
            PresetsCommand.class,
            SchemaCommand.class,
            TemplatesCommand.class,
            CaCommand.class,
            picocli.CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:internal error (a bug; rerun with --verbose)",
            "2:usage error (unknown command or option)",
            "3:invalid descriptor (file:line: key: reason)",
            "4:refused to overwrite existing files (use --force)",
            "5:generate --check: rendered files drifted",
            "6:invalid rendered output or template",
            "7:Docker engine unavailable",
            "8:image build failed",
            "9:verification failed (a probe did not match)",
            "10:file system error",
            "11:an earlier step has not run (generate before build, build before verify)",
            "12:check: the destination is denied",
            "13:apply: the running container did not take the new policy (it is left closed, or as it was)"
        },
        footer = "%nResults go to stdout, progress and errors to stderr. See README.md for the descriptor reference.")
final class ClaudeDevcCommand implements Runnable {

    @Spec
    CommandSpec spec;

    private final EngineFactory engines;
    private boolean verbose;

    ClaudeDevcCommand(EngineFactory engines) {
        this.engines = engines;
    }

    /** Where every subcommand gets its Docker engine (through {@code @ParentCommand}). */
    EngineFactory engines() {
        return engines;
    }

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    void setVerbose(boolean verbose) {
        this.verbose = verbose;
    }

    boolean verbose() {
        return verbose;
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
