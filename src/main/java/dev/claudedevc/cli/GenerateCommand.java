package dev.claudedevc.cli;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.generate.Drift;
import dev.claudedevc.generate.GeneratedTree;
import dev.claudedevc.generate.Manifest;
import dev.claudedevc.generate.TreeWriter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code generate}: re-renders {@code .devcontainer/}, or with {@code --check} reports drift. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Renders .devcontainer/, or checks that it is up to date.",
            "",
            "The output is byte-for-byte deterministic. Files claude-devc generated earlier are "
                + "replaced, or deleted when no longer generated; files edited by hand are left alone "
                + "unless --force. With --check, writes nothing and exits 5 with a unified diff when the "
                + "files on disk drifted."})
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ProjectOptions project;

    @Option(names = "--check", description = "Compare instead of writing; exit 5 and print a diff on drift.")
    boolean check;

    @Option(names = "--force", description = "Overwrite files even if they were edited by hand.")
    boolean force;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        Workspace workspace = Workspace.open(project);
        GeneratedTree tree = workspace.render();
        PrintWriter out = spec.commandLine().getOut();
        workspace.generator().protectedPaths(workspace.loaded()).warnings()
                .forEach(w -> spec.commandLine().getErr().println("warning: " + w));
        if (check) {
            List<Drift.Difference> drift = Drift.check(workspace.outputDir(), tree);
            if (json.enabled()) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("drifted", drift.stream().map(Drift.Difference::path).toList());
                result.put("diff", drift.stream().map(Drift.Difference::diff).reduce("", String::concat));
                JsonOption.print(out, drift.isEmpty() ? "up-to-date" : "drifted", result);
            } else {
                drift.forEach(d -> out.print(d.diff()));
                out.flush();
            }
            if (!drift.isEmpty()) {
                throw new ClaudeDevcException(ClaudeDevcException.Kind.DRIFT, drift.size() + " file(s) in "
                        + Output.display(workspace.outputDir()) + " differ from what the descriptor renders: "
                        + String.join(", ", drift.stream().map(Drift.Difference::path).toList())
                        + " (run claude-devc generate)");
            }
            if (!json.enabled()) {
                spec.commandLine().getErr().println("up to date: " + Output.display(workspace.outputDir()));
            }
            return ExitCodes.OK;
        }
        List<TreeWriter.Written> written = TreeWriter.write(workspace.outputDir(), new ArrayList<>(tree.files()),
                force, Manifest.read(workspace.outputDir()));
        Output.written(out, written, json.enabled());
        for (dev.claudedevc.model.McpServer server : workspace.policy().mcpServers()) {
            spec.commandLine().getErr().println(server.isRemote()
                    ? "mcp: allowed " + server.host().orElseThrow() + " (from .mcp.json server " + server.name() + ")"
                    : "mcp: .mcp.json server " + server.name() + " (stdio) runs inside the box, behind the firewall");
        }
        return ExitCodes.OK;
    }
}
