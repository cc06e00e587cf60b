package dev.claudedevc.cli;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.descriptor.DescriptorReader;
import dev.claudedevc.docker.DockerEngine;
import dev.claudedevc.generate.Generator;
import dev.claudedevc.docker.ExecResult;
import dev.claudedevc.docker.RunningContainer;
import dev.claudedevc.inspect.Inspector;
import dev.claudedevc.validate.DevcontainerCheck;
import dev.claudedevc.validate.MergedConfiguration;
import dev.claudedevc.model.ImageLayout;
import dev.claudedevc.model.OutputFolder;
import dev.claudedevc.model.ProtectedPaths;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code inspect}: what the agent in a running dev container can reach besides the network. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Reports what a dev container's agent can reach beyond the network.",
            "",
            "Through the Docker API, as root with a fixed environment: protected workspace paths the agent "
                + "can write, forwarded sockets (SSH agent, GPG, VS Code IPC, Docker), git and Docker "
                + "credential helpers, token-like environment variables (names only, never values), writable "
                + "host mounts, capabilities, the firewall's live status, and redirects mounts cannot prevent "
                + "(a .git/commondir, nested repositories). Each finding has a severity and a fix; exits 9 "
                + "when any is high."})
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    ClaudeDevcCommand root;

    @Mixin
    ProjectOptions project;

    @Option(names = "--container", paramLabel = "NAME|ID", required = true,
            description = "The running dev container to inspect.")
    String container;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        ProtectedPaths paths = protectedPaths();
        Inspector.Report report;
        try (DockerEngine engine = root.engines().connect()) {
            report = Inspector.inspect(engine, container, paths);
            List<Inspector.Finding> findings = new ArrayList<>(report.findings());
            findings.addAll(mergedConfiguration(engine));
            report = new Inspector.Report(findings);
        }
        print(report);
        if (report.anyHigh()) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.VERIFICATION_FAILED, report.count(
                    Inspector.Severity.HIGH) + " high finding(s) in " + container);
        }
        return ExitCodes.OK;
    }

    /**
     * What {@code validate} checks before a start, on what runs: the container's image label merged with the
     * project's devcontainer.json (when there is a descriptor here), and whether the agent's user can write a
     * folder on root's PATH (the image's, which a {@code docker exec} as that user inherits).
     */
    private List<Inspector.Finding> mergedConfiguration(DockerEngine engine) {
        List<Inspector.Finding> out = new ArrayList<>();
        Optional<RunningContainer> running = engine.runningContainer(container);
        if (running.isEmpty()) {
            return out;
        }
        boolean hasDescriptor = project.descriptorFile().isPresent() || DescriptorReader.FILE_NAMES.stream()
                .anyMatch(n -> Files.exists(project.projectDir().resolve(n)));
        String user = "1000";
        if (hasDescriptor) {
            Workspace workspace = Workspace.open(project);
            user = workspace.loaded().descriptor().user();
            Path json = workspace.outputDir().resolve("devcontainer.json");
            if (Files.isRegularFile(json)) {
                Optional<String> label = engine.image(running.get().imageId())
                        .map(i -> i.labels().get(MergedConfiguration.LABEL));
                String text;
                try {
                    text = Files.readString(json);
                } catch (java.io.IOException e) {
                    throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, "cannot read " + json + ": "
                            + e.getMessage(), e);
                }
                MergedConfiguration.check(label, DevcontainerCheck.parse(text, json.toString())).forEach(f ->
                        out.add(finding(f, "merged-config", "remove it from the image's devcontainer.metadata label "
                                + "(the generated Dockerfile resets it) or from devcontainer.json")));
            }
        }
        ExecResult path = engine.exec(running.get().id(), user, ImageLayout.ROOT_PATH_WRITABLE,
                java.time.Duration.ofSeconds(20));
        if (path.succeeded()) {
            MergedConfiguration.rootPath(List.of(path.output().strip())).forEach(f -> out.add(finding(f,
                    "root-path", "make it root-owned and not writable by others, or take it off the image's PATH")));
        }
        return out;
    }

    private static Inspector.Finding finding(MergedConfiguration.Finding f, String area, String fix) {
        return new Inspector.Finding(f.severity() == MergedConfiguration.Severity.HIGH ? Inspector.Severity.HIGH
                : Inspector.Severity.MEDIUM, area, f.source(), f.problem(), fix);
    }

    /** The project's protected paths when it has a descriptor here, else the defaults. */
    private ProtectedPaths protectedPaths() {
        boolean hasDescriptor = project.descriptorFile().isPresent() || DescriptorReader.FILE_NAMES.stream()
                .anyMatch(n -> Files.exists(project.projectDir().resolve(n)));
        if (!hasDescriptor) {
            return ProtectedPaths.defaults(OutputFolder.DEFAULT.path(), DescriptorReader.FILE_NAMES.get(0));
        }
        Workspace workspace = Workspace.open(project);
        return workspace.generator().protectedPaths(workspace.loaded());
    }

    private void print(Inspector.Report report) {
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("container", container);
            result.put("high", report.count(Inspector.Severity.HIGH));
            result.put("findings", report.findings().stream().map(f -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
                m.put("area", f.area());
                m.put("subject", f.subject());
                m.put("detail", f.detail());
                m.put("fix", f.fix());
                return m;
            }).toList());
            JsonOption.print(out, report.anyHigh() ? "fail" : "pass", result);
            return;
        }
        int subject = Math.min(48, report.findings().stream().mapToInt(f -> f.subject().length()).max().orElse(7));
        out.printf("%-6s  %-14s  %-" + subject + "s  %s%n", "LEVEL", "AREA", "SUBJECT", "FINDING");
        for (Inspector.Finding f : report.findings()) {
            out.printf("%-6s  %-14s  %-" + subject + "s  %s%n", f.severity().name().toLowerCase(Locale.ROOT),
                    f.area(), f.subject(), f.detail());
            if (!f.fix().equals("-")) {
                out.printf("%-6s  %-14s  %-" + subject + "s  fix: %s%n", "", "", "", f.fix());
            }
        }
        spec.commandLine().getErr().println(report.count(Inspector.Severity.HIGH) + " high, "
                + report.count(Inspector.Severity.MEDIUM) + " medium, " + report.count(Inspector.Severity.INFO)
                + " info");
    }
}
