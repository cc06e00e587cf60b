package dev.claudedevc.cli;

import dev.claudedevc.descriptor.DescriptorReader;
import dev.claudedevc.descriptor.ToolchainDetector;
import dev.claudedevc.init.Initializer;
import dev.claudedevc.model.Ecosystem;
import dev.claudedevc.model.Forwarding;
import dev.claudedevc.model.OutputFolder;
import dev.claudedevc.model.Toolchains;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code init}: writes a descriptor for the project (from flags and what it detects) and renders it. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Writes claude-devc.yaml and renders .devcontainer/ from it.",
            "",
            "Presets come from the project's files (package.json: npm; pom.xml, build.gradle(.kts): "
                + "maven; pyproject.toml, requirements.txt: pypi; go.mod: go; Cargo.toml: crates), plus "
                + "anthropic. Toolchains and the versions the project states (engines, .nvmrc, "
                + "requires-python, maven.compiler.release, Gradle toolchains, go directive, rust-version, ...) "
                + "go to toolchains:; the first one's official Dev Container image is the base. Beside a "
                + "project's own .devcontainer/ it renders into .devcontainer/claude/. Never overwrites an "
                + "existing file without --force, and then writes nothing."})
final class InitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ProjectOptions project;

    @Option(names = "--name", paramLabel = "NAME", description = "Project name (default: the folder's name).")
    String name;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Base image (default: the official Dev "
            + "Container image of the first detected toolchain, else " + DescriptorReader.DEFAULT_IMAGE + ").")
    String image;

    @Option(names = "--user", paramLabel = "USER", description = "Container user (default: "
            + "the official image's user, vscode or node, else " + DescriptorReader.DEFAULT_USER + ").")
    String user;

    @Option(names = "--toolchain-source", paramLabel = "SOURCE", defaultValue = "official-image",
            description = "Where the first toolchain comes from: official-image (its official Dev Container image "
                    + "is the base) or debian (Debian packages) (default: ${DEFAULT-VALUE}).")
    String toolchainSource;

    @Option(names = "--claude-install", paramLabel = "METHOD", defaultValue = "native",
            description = "How to install Claude Code: native, npm or none (default: ${DEFAULT-VALUE}).")
    String install;

    @Option(names = "--preset", paramLabel = "NAME", description = "Add a preset (repeatable).")
    List<String> presets = new ArrayList<>();

    @Option(names = "--allow", paramLabel = "DOMAIN", description = "Allow a destination (repeatable).")
    List<String> allow = new ArrayList<>();

    @Option(names = "--output", paramLabel = "DIR", description = "The folder to render into, relative to the "
            + "project (default: .devcontainer, or .devcontainer/claude when the project has its own dev container "
            + "configuration).")
    String output;

    @Option(names = "--no-detect", description = "Do not pick presets from the project's files.")
    boolean noDetect;

    @Option(names = "--force", description = "Overwrite existing files.")
    boolean force;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        Initializer.Result result = Initializer.init(new Initializer.Request(project.projectDir(),
                project.descriptorFile(), project.templatesDir(), Optional.ofNullable(name), Optional.ofNullable(image),
                Optional.ofNullable(user), toolchainSource, install, presets, allow, Optional.ofNullable(output),
                !noDetect, force));
        PrintWriter err = spec.commandLine().getErr();
        if (!result.detected().isEmpty()) {
            err.println("detected: " + String.join(", ", result.detected()));
        }
        for (dev.claudedevc.model.McpServer server : result.mcpServers()) {
            if (server.isRemote()) {
                err.println("mcp: .mcp.json server " + server.name() + " (" + server.transport().name()
                        .toLowerCase(java.util.Locale.ROOT) + ") needs " + server.host().orElseThrow()
                        + ": to allow it, set network.mcp: allow (or add it to network.allowedDomains)");
            } else {
                err.println("mcp: .mcp.json server " + server.name() + " (stdio) runs inside the box, behind the"
                        + " firewall");
            }
        }
        for (ToolchainDetector.Detected t : result.toolchains()) {
            err.println("toolchain: " + t.ecosystem().key() + " " + Initializer.version(t) + " (" + Initializer.safeEvidence(t) + ")");
        }
        if (!result.toolchains().isEmpty()) {
            err.println("base image: " + result.loaded().descriptor().image() + ", user " + result.loaded().descriptor().user());
        }
        for (Toolchains.Toolchain t : result.loaded().descriptor().toolchains().fromDebian()) {
            t.ecosystem().debianToolchain(t.version()).ifPresent(d -> err.println("from Debian packages: "
                    + t.ecosystem().key() + " " + d.version() + " (" + String.join(", ", d.packages())
                    + (d.backports() ? ", from " + Ecosystem.BACKPORTS : "") + ")"));
        }
        OutputFolder out = result.loaded().descriptor().output();
        if (result.outputChosen() && out.equals(OutputFolder.NESTED)) {
            err.println("the project has its own dev container configuration, left as it is: rendered into "
                    + out + "/, a named configuration (VS Code offers it when reopening in a container; the CLI: "
                    + "devcontainer up --workspace-folder . --config " + out.file("devcontainer.json") + ")");
        } else if (!out.discoverable()) {
            err.println("note: the IDE does not look in " + out + "/ by itself; open it with devcontainer up "
                    + "--workspace-folder . --config " + out.file("devcontainer.json"));
        }
        Output.written(spec.commandLine().getOut(), result.written(), json.enabled());
        if (!json.enabled()) {
            err.println("VS Code forwards host credentials into dev containers; only your VS Code user settings stop"
                    + " it. Set these once (README, \"Forwarded credentials\"):");
            for (Forwarding.HostSetting setting : Forwarding.HOST_SETTINGS) {
                err.println("  " + setting.setting() + "  - " + setting.why());
            }
            err.println("next: review " + Output.display(result.loaded().file())
                    + ", then build and verify (claude-devc build && claude-devc verify) or \"Reopen in Container\".");
        }
        return ExitCodes.OK;
    }
}
