package dev.claudedevc.init;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.assets.Assets;
import dev.claudedevc.descriptor.DescriptorReader;
import dev.claudedevc.descriptor.LoadedDescriptor;
import dev.claudedevc.descriptor.PresetCatalog;
import dev.claudedevc.descriptor.Syntax;
import dev.claudedevc.descriptor.ToolchainDetector;
import dev.claudedevc.generate.GeneratedFile;
import dev.claudedevc.generate.Generator;
import dev.claudedevc.generate.Manifest;
import dev.claudedevc.generate.TreeWriter;
import dev.claudedevc.model.McpServer;
import dev.claudedevc.model.OutputFolder;
import dev.claudedevc.model.ToolchainVersion;
import dev.claudedevc.policy.EffectivePolicy;
import dev.claudedevc.render.MustacheTemplateRenderer;
import dev.claudedevc.validate.CheckedRender;
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

/**
 * {@code init}'s work, without the command line: writes a descriptor for a project (from the request and what it
 * detects: presets from marker files, toolchains and their versions, the output folder, .mcp.json servers) and
 * renders it, all or nothing. What it found is in the {@link Result} for the caller to report.
 */
public final class Initializer {

    /** Marker files and the preset each one implies, in the order they are reported. */
    public static final Map<String, String> DETECTORS = detectors();

    /**
     * What to initialise.
     *
     * @param projectDir      the project folder (a real path)
     * @param descriptorFile  the descriptor to write, if not the folder's claude-devc.yaml (must be in the folder)
     * @param templatesDir    a team's template overrides
     * @param name            the project name (default: the folder's name, made valid)
     * @param image           the base image (default: the first toolchain's official image, else Debian's)
     * @param user            the container user
     * @param toolchainSource {@code official-image} or {@code debian}
     * @param install         how Claude Code is installed: {@code native}, {@code npm} or {@code none}
     * @param presets         presets to add to the detected ones
     * @param allow           destinations to allow
     * @param output          the output folder, relative to the project (default: chosen from what is there)
     * @param detect          whether to detect presets and toolchains from the project's files
     * @param force           overwrite existing files
     */
    public record Request(Path projectDir, Optional<Path> descriptorFile, Optional<Path> templatesDir,
            Optional<String> name, Optional<String> image, Optional<String> user, String toolchainSource,
            String install, List<String> presets, List<String> allow, Optional<String> output, boolean detect,
            boolean force) {

        public Request {
            presets = List.copyOf(presets);
            allow = List.copyOf(allow);
        }
    }

    /**
     * What was written and found.
     *
     * @param loaded       the written descriptor, as a later read gives it
     * @param written      each file and what the write did to it
     * @param detected     the presets the project's files imply
     * @param toolchains   the detected toolchains, the base image's first, each with a version
     * @param mcpServers   the servers of the project's .mcp.json
     * @param outputChosen whether the output folder was chosen here (not named in the request)
     */
    public record Result(LoadedDescriptor loaded, List<TreeWriter.Written> written, List<String> detected,
            List<ToolchainDetector.Detected> toolchains, List<McpServer> mcpServers, boolean outputChosen) {
    }

    private Initializer() {
    }

    /**
     * Writes the descriptor and renders it.
     *
     * @throws ClaudeDevcException INVALID_DESCRIPTOR for a bad request value, REFUSED_OVERWRITE when files exist
     *                             (nothing is written then), INVALID_OUTPUT when a team template opens the boundary
     */
    public static Result init(Request request) {
        Path dir = request.projectDir();
        Path descriptorFile = request.descriptorFile().orElse(dir.resolve(DescriptorReader.FILE_NAMES.get(0)));
        if (!dir.equals(descriptorFile.getParent())) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR, "-f " + descriptorFile + ": init writes the"
                    + " descriptor into the project folder " + dir + " (name just the file, or use -C)");
        }
        // One descriptor per folder: another one (say claude-devc.json) would be shadowed or shadow this one.
        for (String other : DescriptorReader.FILE_NAMES) {
            Path existing = dir.resolve(other);
            if (!existing.equals(descriptorFile) && Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                throw new ClaudeDevcException(ClaudeDevcException.Kind.REFUSED_OVERWRITE, existing + " already"
                        + " describes this project; edit it and run claude-devc generate, or remove it first"
                        + " (nothing was written)");
            }
        }
        Assets assets = Assets.withOverrides(request.templatesDir());
        PresetCatalog catalog = PresetCatalog.from(assets);

        List<String> detected = !request.detect() ? List.of() : detect(dir);
        List<ToolchainDetector.Detected> toolchains = !request.detect() ? List.of() : ordered(ToolchainDetector.detect(dir), request.toolchainSource());
        OutputFolder outputFolder = outputFolder(dir, request.output());
        // A malformed .mcp.json is a located error before anything is written.
        List<McpServer> mcpServers = dev.claudedevc.descriptor.McpConfig.read(dir);
        LinkedHashSet<String> chosen = new LinkedHashSet<>();
        chosen.add("anthropic");
        chosen.addAll(detected);
        chosen.addAll(request.presets());
        String text = new MustacheTemplateRenderer(assets).render("templates/claude-devc.yaml.mustache",
                view(request, chosen, detected, outputFolder, toolchains));
        byte[] descriptorBytes = text.getBytes(StandardCharsets.UTF_8);

        // Validate what we are about to write exactly as a later read will: a bad flag fails here, writing nothing.
        DescriptorReader reader = new DescriptorReader();
        LoadedDescriptor loaded = reader.load(descriptorBytes, descriptorFile);
        Generator generator = new Generator(assets);
        List<GeneratedFile> files = new ArrayList<>();
        files.add(new GeneratedFile(dir.relativize(descriptorFile).toString(), descriptorBytes, false));
        OutputFolder out = loaded.descriptor().output();
        CheckedRender.render(generator, loaded, EffectivePolicy.of(loaded, catalog)).files().forEach(f -> files.add(new GeneratedFile(
                out.file(f.path()), f.content(), f.executable())));
        List<TreeWriter.Written> written = TreeWriter.write(dir, files, request.force(), prefixed(out,
                Manifest.read(out.in(dir))));

        return new Result(loaded, written, detected, toolchains, mcpServers, request.output().isEmpty());
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
    private static OutputFolder outputFolder(Path dir, Optional<String> chosen) {
        if (chosen.isPresent()) {
            String output = chosen.get();
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
    static List<ToolchainDetector.Detected> ordered(List<ToolchainDetector.Detected> detected,
            String toolchainSource) {
        List<ToolchainDetector.Detected> out = new ArrayList<>(detected);
        for (ToolchainDetector.Detected t : detected) {
            if (t.version().isPresent() && t.ecosystem().debianToolchain(t.version().get()).isEmpty()) {
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

    /** The version a detected toolchain was given (every one in a {@link Result} has one). */
    public static String version(ToolchainDetector.Detected t) {
        return versionOf(t).toString();
    }

    /** What the descriptor's comment says about where a version came from: only plain text from project files. */
    public static String safeEvidence(ToolchainDetector.Detected t) {
        String evidence = t.evidence();
        return evidence.matches("[A-Za-z0-9 ._<>=^~|*,\"/:()+-]{1,160}") ? evidence
                : evidence.split(" ", 2)[0].replaceAll("[^A-Za-z0-9._-]", "");
    }

    private static Map<String, Object> view(Request request, LinkedHashSet<String> chosen, List<String> detected,
            OutputFolder outputFolder, List<ToolchainDetector.Detected> toolchains) {
        String projectName = request.name().orElseGet(() -> defaultName(request.projectDir()));
        String toolchainSource = request.toolchainSource();
        String image = request.image().orElse(null);
        String user = request.user().orElse(null);
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
        view.put("install", requireMatch(request.install().toLowerCase(Locale.ROOT),
                java.util.regex.Pattern.compile("native|npm|none"), "--claude-install"));
        view.put("presets", chosen.stream().map(p -> Map.of("name",
                requireMatch(p, Syntax.PRESET_NAME, "--preset"))).toList());
        view.put("detectedNote", detected.isEmpty() ? "anthropic is always needed"
                : "detected " + String.join(", ", detected));
        view.put("allowedDomains", request.allow().stream().map(a -> {
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
