package dev.claudedevc.cli;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.assets.Assets;
import dev.claudedevc.descriptor.DescriptorReader;
import dev.claudedevc.descriptor.LoadedDescriptor;
import dev.claudedevc.descriptor.PresetCatalog;
import dev.claudedevc.policy.EffectivePolicy;
import dev.claudedevc.descriptor.Syntax;
import dev.claudedevc.generate.GeneratedFile;
import dev.claudedevc.generate.Generator;
import dev.claudedevc.model.Forwarding;
import dev.claudedevc.generate.Manifest;
import dev.claudedevc.generate.TreeWriter;
import dev.claudedevc.model.OutputFolder;
import dev.claudedevc.descriptor.ToolchainDetector;
import dev.claudedevc.model.ToolchainVersion;
import dev.claudedevc.render.MustacheTemplateRenderer;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** Marker files and the preset each one implies, in the order they are reported. */
    static final Map<String, String> DETECTORS = detectors();

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
        Path dir = project.projectDir();
        Path descriptorFile = project.descriptorFile().orElse(dir.resolve(DescriptorReader.FILE_NAMES.get(0)));
        if (!dir.equals(descriptorFile.getParent())) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR, "-f " + descriptorFile + ": init writes the"
                    + " descriptor into the project folder " + dir + " (name just the file, or use -C)");
        }
        // One descriptor per folder: another one (say claude-devc.json) would be shadowed or shadow this one.
        for (String other : DescriptorReader.FILE_NAMES) {
            Path existing = dir.resolve(other);
            if (!existing.equals(descriptorFile) && Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new ClaudeDevcException(ClaudeDevcException.Kind.REFUSED_OVERWRITE, existing + " already"
                        + " describes this project; edit it and run claude-devc generate, or remove it first"
                        + " (nothing was written)");
            }
        }
        Assets assets = Assets.withOverrides(project.templatesDir());
        PresetCatalog catalog = PresetCatalog.from(assets);

        List<String> detected = noDetect ? List.of() : detect(dir);
        List<ToolchainDetector.Detected> toolchains = noDetect ? List.of() : ordered(ToolchainDetector.detect(dir));
        OutputFolder outputFolder = outputFolder(dir);
        // A malformed .mcp.json is a located error before anything is written.
        List<dev.claudedevc.model.McpServer> mcpServers = dev.claudedevc.descriptor.McpConfig.read(dir);
        LinkedHashSet<String> chosen = new LinkedHashSet<>();
        chosen.add("anthropic");
        chosen.addAll(detected);
        chosen.addAll(presets);
        String text = new MustacheTemplateRenderer(assets).render("templates/claude-devc.yaml.mustache",
                view(dir, chosen, detected, outputFolder, toolchains));
        byte[] descriptorBytes = text.getBytes(StandardCharsets.UTF_8);

        // Validate what we are about to write exactly as a later read will: a bad flag fails here, writing nothing.
        DescriptorReader reader = new DescriptorReader(catalog);
        LoadedDescriptor loaded = reader.load(descriptorBytes, descriptorFile);
        Generator generator = new Generator(assets);
        List<GeneratedFile> files = new ArrayList<>();
        files.add(new GeneratedFile(dir.relativize(descriptorFile).toString(), descriptorBytes, false));
        OutputFolder out = loaded.descriptor().output();
        Workspace.render(generator, loaded, EffectivePolicy.of(loaded, catalog)).files().forEach(f -> files.add(new GeneratedFile(
                out.file(f.path()), f.content(), f.executable())));
        List<TreeWriter.Written> written = TreeWriter.write(dir, files, force, prefixed(out,
                Manifest.read(out.in(dir))));

        PrintWriter err = spec.commandLine().getErr();
        if (!detected.isEmpty()) {
            err.println("detected: " + String.join(", ", detected));
        }
        for (dev.claudedevc.model.McpServer server : mcpServers) {
            if (server.isRemote()) {
                err.println("mcp: .mcp.json server " + server.name() + " (" + server.transport().name()
                        .toLowerCase(java.util.Locale.ROOT) + ") needs " + server.host().orElseThrow()
                        + ": to allow it, set network.mcp: allow (or add it to network.allowedDomains)");
            } else {
                err.println("mcp: .mcp.json server " + server.name() + " (stdio) runs inside the box, behind the"
                        + " firewall");
            }
        }
        for (ToolchainDetector.Detected t : toolchains) {
            err.println("toolchain: " + t.ecosystem().key() + " " + version(t) + " (" + safeEvidence(t) + ")");
        }
        if (!toolchains.isEmpty()) {
            err.println("base image: " + loaded.descriptor().image() + ", user " + loaded.descriptor().user());
        }
        if (output == null && out.equals(OutputFolder.NESTED)) {
            err.println("the project has its own dev container configuration, left as it is: rendered into "
                    + out + "/, a named configuration (VS Code offers it when reopening in a container; the CLI: "
                    + "devcontainer up --workspace-folder . --config " + out.file("devcontainer.json") + ")");
        } else if (!out.discoverable()) {
            err.println("note: the IDE does not look in " + out + "/ by itself; open it with devcontainer up "
                    + "--workspace-folder . --config " + out.file("devcontainer.json"));
        }
        Output.written(spec.commandLine().getOut(), written, json.enabled());
        if (!json.enabled()) {
            err.println("VS Code forwards host credentials into dev containers; only your VS Code user settings stop"
                    + " it. Set these once (README, \"Forwarded credentials\"):");
            for (Forwarding.HostSetting setting : Forwarding.HOST_SETTINGS) {
                err.println("  " + setting.setting() + "  - " + setting.why());
            }
            err.println("next: review " + Output.display(descriptorFile)
                    + ", then build and verify (claude-devc build && claude-devc verify) or \"Reopen in Container\".");
        }
        return ExitCodes.OK;
    }

    private static Map<String, String> prefixed(OutputFolder folder, Map<String, String> hashes) {
        Map<String, String> out = new LinkedHashMap<>();
        hashes.forEach((path, sha) -> out.put(folder.file(path), sha));
        return out;
    }

    /**
     * {@code --output}, else {@link OutputFolder#NESTED} when the project has a dev container configuration that
     * claude-devc did not render (a {@code .devcontainer/} without claude-devc's manifest, or
     * {@code .devcontainer.json}), else the default.
     */
    private OutputFolder outputFolder(Path dir) {
        if (output != null) {
            try {
                return OutputFolder.parse(output);
            } catch (IllegalArgumentException e) {
                throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR,
                        "--output: " + e.getMessage());
            }
        }
        return hasOwnConfiguration(dir) ? OutputFolder.NESTED : OutputFolder.DEFAULT;
    }

    static boolean hasOwnConfiguration(Path dir) {
        if (Files.exists(dir.resolve(".devcontainer.json"), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        Path folder = OutputFolder.DEFAULT.in(dir);
        if (Files.isSymbolicLink(folder) || (Files.exists(folder) && !Files.isDirectory(folder))) {
            return true;
        }
        if (!Files.isDirectory(folder) || Manifest.exists(folder)) {
            return false;
        }
        try (var entries = Files.list(folder)) {
            return entries.findAny().isPresent();
        } catch (java.io.IOException e) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, "cannot read " + folder + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The detected toolchains, the base image's first: the first (in detection order) whose stated version Debian
     * bookworm does not package, so the others can come from Debian packages; else the first detected. A toolchain
     * whose project states no version gets claude-devc's default on the base image and bookworm's from Debian.
     */
    List<ToolchainDetector.Detected> ordered(List<ToolchainDetector.Detected> detected) {
        List<ToolchainDetector.Detected> out = new ArrayList<>(detected);
        for (ToolchainDetector.Detected t : detected) {
            if (t.version().isPresent() && !t.ecosystem().debianVersion().meets(t.version().get())) {
                out.remove(t);
                out.add(0, t);
                break;
            }
        }
        boolean official = !"debian".equals(toolchainSource);
        List<ToolchainDetector.Detected> versioned = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            ToolchainDetector.Detected t = out.get(i);
            if (t.version().isEmpty()) {
                t = new ToolchainDetector.Detected(t.ecosystem(), Optional.of(official && i == 0
                        ? ToolchainVersion.parse(t.ecosystem().defaultVersion()) : t.ecosystem().debianVersion()),
                        t.evidence() + ": no version stated");
            }
            versioned.add(t);
        }
        return versioned;
    }

    private static ToolchainVersion versionOf(ToolchainDetector.Detected t) {
        return t.version().orElseThrow();
    }

    private static String version(ToolchainDetector.Detected t) {
        return versionOf(t).toString();
    }

    /** What the descriptor's comment says about where a version came from: only plain text from project files. */
    private static String safeEvidence(ToolchainDetector.Detected t) {
        String evidence = t.evidence();
        return evidence.matches("[A-Za-z0-9 ._<>=^~|*,\"/:()+-]{1,160}") ? evidence
                : evidence.split(" ", 2)[0].replaceAll("[^A-Za-z0-9._-]", "");
    }

    private Map<String, Object> view(Path dir, LinkedHashSet<String> chosen, List<String> detected,
            OutputFolder outputFolder, List<ToolchainDetector.Detected> toolchains) {
        String projectName = name != null ? name : defaultName(dir);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", requireMatch(projectName, Syntax.PROJECT_NAME, "--name"));
        boolean official = !toolchains.isEmpty() && toolchainSource.equals("official-image");
        if (!toolchainSource.equals("official-image") && !toolchainSource.equals("debian")) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR, "--toolchain-source '"
                    + toolchainSource + "' is not one of official-image, debian");
        }
        view.put("image", image == null && official ? "" : requireMatch(image == null ? DescriptorReader.DEFAULT_IMAGE
                : image, Syntax.IMAGE, "--image"));
        view.put("officialImage", official ? toolchains.get(0).ecosystem().officialImage(versionOf(toolchains.get(0)))
                .orElse("") : "");
        view.put("user", requireMatch(user != null ? user : official ? toolchains.get(0).ecosystem().officialUser()
                : DescriptorReader.DEFAULT_USER, Syntax.USER, "--user"));
        view.put("toolchainSource", toolchainSource);
        view.put("hasToolchains", !toolchains.isEmpty());
        view.put("toolchains", toolchains.stream().map(t -> Map.of("key", t.ecosystem().key(), "version", version(t),
                "evidence", safeEvidence(t))).toList());
        view.put("output", outputFolder.path());
        view.put("install", requireMatch(install.toLowerCase(Locale.ROOT),
                java.util.regex.Pattern.compile("native|npm|none"), "--claude-install"));
        view.put("presets", chosen.stream().map(p -> Map.of("name",
                requireMatch(p, Syntax.PRESET_NAME, "--preset"))).toList());
        view.put("detectedNote", detected.isEmpty() ? "anthropic is always needed"
                : "detected " + String.join(", ", detected));
        view.put("allowedDomains", allow.stream().map(a -> {
            try {
                return Map.of("entry", Syntax.domainRule(a).toString());
            } catch (IllegalArgumentException e) {
                throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR,
                        "--allow " + dev.claudedevc.descriptor.Fields.printableText(a) + ": "
                                + dev.claudedevc.descriptor.Fields.printableText(e.getMessage()));
            }
        }).toList());
        return view;
    }

    private static String requireMatch(String value, java.util.regex.Pattern pattern, String option) {
        if (!pattern.matcher(value).matches()) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR,
                    option + " '" + dev.claudedevc.descriptor.Fields.printableText(value) + "' is not valid (must match "
                            + pattern + ")");
        }
        return value;
    }

    /** The folder's name made into a valid project name. */
    static String defaultName(Path dir) {
        Path fileName = dir.getFileName();
        String base = fileName == null ? "" : fileName.toString().toLowerCase(Locale.ROOT);
        String cleaned = base.replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[._-]+|[._-]+$", "")
                .replaceAll("([._-])[._-]+", "$1");
        if (cleaned.length() > 63) {
            cleaned = cleaned.substring(0, 63).replaceAll("[._-]+$", "");
        }
        return cleaned.isEmpty() ? "project" : cleaned;
    }

    static List<String> detect(Path dir) {
        LinkedHashSet<String> found = new LinkedHashSet<>();
        DETECTORS.forEach((marker, preset) -> {
            if (Files.exists(dir.resolve(marker))) {
                found.add(preset);
            }
        });
        return List.copyOf(found);
    }

    private static Map<String, String> detectors() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("package.json", "npm");
        m.put("pom.xml", "maven");
        m.put("build.gradle", "maven");
        m.put("build.gradle.kts", "maven");
        m.put("pyproject.toml", "pypi");
        m.put("requirements.txt", "pypi");
        m.put("go.mod", "go");
        m.put("Cargo.toml", "crates");
        return m;
    }
}
