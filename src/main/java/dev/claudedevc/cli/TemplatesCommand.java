package dev.claudedevc.cli;

import dev.claudedevc.assets.Assets;
import dev.claudedevc.generate.GeneratedFile;
import dev.claudedevc.generate.TreeWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code templates}: lists the built-in templates and firewall assets, or exports them for a team to edit. */
@Command(name = "templates", mixinStandardHelpOptions = true,
        description = {"Lists the built-in templates and firewall assets, or exports them.",
            "",
            "A team overrides any of them by file name with --templates DIR. --export DIR writes them "
                + "there to edit (never overwriting without --force)."})
final class TemplatesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--export", paramLabel = "DIR", description = "Write the built-in files into DIR.")
    Path export;

    @Option(names = "--force", description = "Overwrite files in DIR.")
    boolean force;

    @Override
    public Integer call() {
        Assets assets = Assets.builtIn();
        List<GeneratedFile> files = new ArrayList<>();
        for (String name : assets.list("templates")) {
            if (name.endsWith(".mustache")) {
                files.add(new GeneratedFile(name, assets.read("templates/" + name).orElseThrow(), false));
            }
        }
        files.add(new GeneratedFile("claude-devc-firewall.sh",
                assets.read("firewall/claude-devc-firewall.sh").orElseThrow(), true));
        for (String name : assets.list("firewall/presets")) {
            files.add(new GeneratedFile("presets/" + name, assets.read("firewall/presets/" + name).orElseThrow(),
                    false));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (export == null) {
            files.forEach(f -> out.println(f.path()));
            return ExitCodes.OK;
        }
        Output.written(out, TreeWriter.write(export.toAbsolutePath(), files, force), false);
        spec.commandLine().getErr().println("edit what you need, delete the rest, then pass --templates "
                + Output.display(export));
        return ExitCodes.OK;
    }
}
