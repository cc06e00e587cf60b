package dev.claudedevc.cli;

import dev.claudedevc.model.ImageLayout;
import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.model.FirewallStatus;
import dev.claudedevc.audit.Auditor;
import dev.claudedevc.audit.DnsLogs;
import dev.claudedevc.docker.DockerEngine;
import dev.claudedevc.docker.RunningContainer;
import dev.claudedevc.docker.ExecResult;
import dev.claudedevc.policy.EffectivePolicy;
import dev.claudedevc.generate.Generator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code audit}: proposes allowlist additions from what the firewall blocked (or would block, in audit mode). */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Proposes allowlist entries from what the firewall blocked.",
            "",
            "Reads what the firewall recorded in the project's running dev container (found by the "
                + "labels the Dev Containers CLI and VS Code give it, devcontainer.local_folder; or "
                + "--container), its resolver's query log "
                + "and the rejected connections), or copies of those records, and proposes "
                + "network.allowedDomains entries with the evidence. Run the container with network.mode: "
                + "audit to collect without blocking. Nothing is changed: review each proposal, since every "
                + "entry opens egress."})
final class AuditCommand implements Callable<Integer> {

    static final String DNS_LOG = ImageLayout.DNS_LOG;
    /** The firewall keeps a few rotated logs of 8 MiB by default; far more than that is not a log. */
    static final long MAX_LOG_BYTES = 512L * 1024 * 1024;

    @Spec
    CommandSpec spec;

    @ParentCommand
    ClaudeDevcCommand root;

    @Mixin
    ProjectOptions project;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source = new Source();

    static final class Source {
        @Option(names = "--container", paramLabel = "NAME|ID", required = true,
                description = "A running dev container to read the records from (through the Docker API); "
                        + "default: the one the Dev Containers CLI or VS Code started for the project folder.")
        String container;

        @Option(names = "--log", paramLabel = "FILE", required = true,
                description = "A copy of " + DNS_LOG + " (with --status for rejected connections); repeat it for "
                        + "the rotated copies (" + DNS_LOG + ".1, ...).")
        List<Path> log;
    }

    @Option(names = "--status", paramLabel = "FILE",
            description = "A copy of 'claude-devc-firewall status' run as root, with --log.")
    Path status;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        Workspace workspace = Workspace.open(project);
        EffectivePolicy policy = workspace.policy();
        String[] records;
        String applyLine;
        String target = null;
        if (source.log != null) {
            records = fromFiles();
            applyLine = "claude-devc apply" + projectOption(workspace) + " --container NAME";
        } else {
            try (DockerEngine engine = root.engines().connect()) {
                boolean byLabels = source.container == null;
                RunningContainer found = DevContainers.find(engine, byLabels ? "" : source.container, workspace);
                if (byLabels) {
                    spec.commandLine().getErr().println("dev container for " + workspace.projectDir() + ": "
                            + found.name());
                }
                target = byLabels ? found.name() : source.container;
                records = fromContainer(engine, found.id());
                applyLine = "claude-devc apply" + projectOption(workspace)
                        + (byLabels ? "" : " --container " + found.name());
            }
        }
        Auditor.Report report = Auditor.audit(policy, records[0], records[1]);
        // A live container's firewall must be in force; copied files may come from anywhere, so only then.
        FirewallStatus firewall = target != null ? FirewallStatus.parse(records[1]) : null;
        print(report, firewall, target, applyLine);
        if (firewall != null && !firewall.inForce()) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.VERIFICATION_FAILED, "the firewall in "
                    + target + " is " + firewall.summary());
        }
        return ExitCodes.OK;
    }

    /**
     * The project options apply needs to render the same policy: {@code -C DIR} for another folder than the current
     * one, and the {@code -f} and {@code --templates} given here (each quoted for a POSIX shell when it needs it).
     */
    private String projectOption(Workspace workspace) {
        StringBuilder options = new StringBuilder();
        if (!workspace.projectDir().equals(Path.of("").toAbsolutePath().normalize())) {
            options.append(" -C ").append(quoted(Output.display(workspace.projectDir())));
        }
        project.descriptorFile().ifPresent(f -> options.append(" -f ").append(quoted(Output.display(f))));
        project.templatesDir().ifPresent(t -> options.append(" --templates ").append(quoted(Output.display(t))));
        return options.toString();
    }

    private static String quoted(String word) {
        return word.matches("[A-Za-z0-9_./@%+=:,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private String[] fromFiles() {
        StringBuilder log = new StringBuilder();
        for (Path file : source.log) {
            String text = read(file);
            log.append(text);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                log.append('\n');
            }
        }
        return new String[] {log.toString(), status == null ? "" : read(status)};
    }

    /** Larger copies of the firewall's records are refused: the resolver's log is rotated well below this. */
    static final long MAX_RECORD_BYTES = 256L * 1024 * 1024;

    private static String read(Path file) {
        return new String(dev.claudedevc.BoundedFiles.read(file, MAX_RECORD_BYTES, ClaudeDevcException.Kind.IO,
                file.toString()), StandardCharsets.UTF_8);
    }

    /** The log and its rotated files through the engine's archive endpoint (nothing runs for it), and the status. */
    private static String[] fromContainer(DockerEngine engine, String container) {
        String logDir = DNS_LOG.substring(0, DNS_LOG.lastIndexOf('/'));
        Map<String, byte[]> files = engine.readFiles(container, logDir, MAX_LOG_BYTES);
        String log = DnsLogs.joined(files);
        if (!DnsLogs.hasLog(files)) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, "cannot read " + DNS_LOG + " in "
                    + container + " (is it a claude-devc container whose firewall ran?)");
        }
        ExecResult status = engine.exec(container, "root", List.of(Generator.FIREWALL_PATH, "status"),
                Duration.ofSeconds(30));
        return new String[] {log, status.output()};
    }

    private void print(Auditor.Report report, FirewallStatus firewall, String target, String applyLine) {
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            Map<String, Object> result = new LinkedHashMap<>();
            if (firewall != null) {
                result.put("firewall", Map.of("result", firewall.result(), "inForce", firewall.inForce(),
                        "problems", firewall.problems()));
            }
            result.put("mode", report.mode());
            result.put("proposals", report.proposals());
            result.put("denied", report.denied());
            result.put("notes", report.notes());
            if (!report.proposals().isEmpty()) {
                result.put("apply", applyLine);
            }
            JsonOption.print(out, firewall != null && !firewall.inForce() ? "not-in-force"
                    : report.proposals().isEmpty() ? "nothing-to-propose" : "proposals", result);
            return;
        }
        PrintWriter err = spec.commandLine().getErr();
        if (firewall != null) {
            err.println("firewall in " + target + ": " + firewall.summary());
        }
        if (report.proposals().isEmpty()) {
            out.println("nothing to propose: no blocked name or connection outside the allowlist was recorded");
        } else {
            int width = report.proposals().stream().mapToInt(p -> p.entry().length()).max().orElse(5);
            out.printf("%-" + width + "s  %6s  %s%n", "ENTRY", "HITS", "EVIDENCE");
            report.proposals().forEach(p -> out.printf("%-" + width + "s  %6d  %s%n", p.entry(), p.hits(), p.reason()));
            out.println();
            out.println("# Review, then add what you trust to claude-devc.yaml and run claude-devc generate:");
            out.println("network:");
            out.println("  allowedDomains:");
            report.proposals().forEach(p -> out.println("    - \"" + p.entry() + "\""));
            out.println();
            out.println("# Then let the running container use it, without a rebuild (the next build bakes it in):");
            out.println(applyLine);
        }
        report.denied().forEach((name, hits) -> err.println("kept closed by deniedDomains: " + name + " (" + hits
                + " lookup(s))"));
        report.notes().forEach(n -> err.println("note: " + n));
    }
}
