package dev.claudedevc.generate;

import dev.claudedevc.model.ImageLayout;
import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.assets.Assets;
import dev.claudedevc.descriptor.LoadedDescriptor;
import dev.claudedevc.descriptor.PresetCatalog;
import dev.claudedevc.model.ClaudeCode;
import dev.claudedevc.model.Descriptor;
import dev.claudedevc.model.Forwarding;
import dev.claudedevc.model.ProtectedPaths;
import dev.claudedevc.render.MustacheTemplateRenderer;
import dev.claudedevc.render.TemplateRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders {@code .devcontainer/} from a descriptor: a pure function of the descriptor, the assets and the CA
 * certificate files it names. Each output file has one contributor method below.
 */
public final class Generator {

    /** Where the firewall and its policy live in the image (see firewall/README.md). */
    public static final String FIREWALL_PATH = ImageLayout.FIREWALL;
    public static final String POLICY_PATH = ImageLayout.POLICY;

    static final String DEVCONTAINER_TEMPLATE = "templates/devcontainer.json.mustache";
    static final String DOCKERFILE_TEMPLATE = "templates/Dockerfile.mustache";
    static final String POLICY_TEMPLATE = "templates/claude-devc-policy.conf.mustache";
    static final String FIREWALL_SCRIPT = "firewall/claude-devc-firewall.sh";
    static final String ENTRYPOINT_SCRIPT = "firewall/claude-devc-entrypoint.sh";
    static final String DENIALS_SCRIPT = "firewall/claude-devc-denials.sh";
    static final String GIT_WRAPPER_SCRIPT = "firewall/claude-devc-git.sh";
    static final String ATTACH_SCRIPT = "firewall/claude-devc-attach.sh";
    static final String HOST_STEP_TEMPLATE = "templates/claude-devc-host.sh.mustache";

    /** Packages the firewall, its self-test and `verify` need in every image. */
    static final List<String> BASE_PACKAGES = List.of("bind9-dnsutils", "ca-certificates", "curl", "dnsmasq-base",
            "git", "iproute2", "ipset", "iptables", "procps", "socat", "sudo");
    /** Root's command search path starts with these (root-owned in every Debian image), before anything else. */
    public static final List<String> SYSTEM_PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");

    private final Assets assets;
    private final TemplateRenderer renderer;
    private final PresetCatalog presets;

    public Generator(Assets assets, PresetCatalog presets) {
        this.assets = assets;
        this.renderer = new MustacheTemplateRenderer(assets);
        this.presets = presets;
    }

    /** A generator over the built-in assets, or a team folder's overrides. */
    public static Generator forTemplates(java.util.Optional<Path> templatesDir) {
        Assets assets = Assets.withOverrides(templatesDir);
        return new Generator(assets, PresetCatalog.from(assets));
    }

    public PresetCatalog presets() {
        return presets;
    }

    public GeneratedTree generate(LoadedDescriptor loaded) {
        Descriptor d = loaded.descriptor();
        GeneratedTree tree = new GeneratedTree();
        ProtectedPaths paths = protectedPaths(loaded);
        tree.add(devcontainerJson(d, paths));
        tree.add(hostStep(d, paths));
        tree.add(GeneratedFile.text(".gitignore", "# The host step's mount sources, made at each container start.\n/"
                + ImageLayout.HOST_RUN_DIR + "/\n", false));
        tree.add(dockerfile(d));
        tree.add(script(FIREWALL_SCRIPT, "claude-devc-firewall.sh"));
        tree.add(script(ENTRYPOINT_SCRIPT, "claude-devc-entrypoint.sh"));
        tree.add(script(DENIALS_SCRIPT, "claude-devc-denials.sh"));
        tree.add(script(GIT_WRAPPER_SCRIPT, "claude-devc-git.sh"));
        tree.add(script(ATTACH_SCRIPT, "claude-devc-attach.sh"));
        FirewallPolicy policy = FirewallPolicy.of(d, presets);
        tree.add(policy(d, policy));
        tree.add(ManagedSettings.render(d, policy, paths));
        if (d.claudeCode().sandbox()) {
            tree.add(SeccompProfile.render());
        }
        caCertificates(d, loaded.projectDir()).forEach(tree::add);
        tree.add(Manifest.of(tree));
        return tree;
    }

    /**
     * The project's protected paths: its output folder and descriptor, the git paths, the optional ones the
     * descriptor keeps, and those it adds.
     */
    public static ProtectedPaths protectedPaths(LoadedDescriptor loaded) {
        String descriptorFile = loaded.file().getFileName().toString();
        if (!descriptorFile.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR, "the descriptor's file name '"
                    + descriptorFile + "' must be letters, digits and ._- (it is mounted read-only by that name)");
        }
        return loaded.descriptor().workspace().protectedPaths(loaded.descriptor().output().path(), descriptorFile);
    }

    /** The only seccomp option the boundary check accepts: the generated profile, from the workspace. */
    static String seccompRunArg(Descriptor d) {
        return "--security-opt=seccomp=${localWorkspaceFolder}/" + d.output().path() + "/" + ImageLayout.SECCOMP_FILE;
    }

    private GeneratedFile hostStep(Descriptor d, ProtectedPaths paths) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("output", d.output().path());
        view.put("runDir", ImageLayout.HOST_RUN_DIR);
        view.put("dangerousGitKeys", ProtectedPaths.DANGEROUS_GIT_KEYS);
        view.put("paths", paths.entries().stream().filter(e -> !e.inGitDir())
                .map(e -> Map.of("path", e.name(), "directory", e.directory())).toList());
        return GeneratedFile.text(ImageLayout.HOST_STEP, render(HOST_STEP_TEMPLATE, view), true);
    }

    private GeneratedFile devcontainerJson(Descriptor d, ProtectedPaths paths) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", JsonText.of(d.name(), 2));
        view.put("user", JsonText.of(d.user(), 2));
        List<String> runArgs = new ArrayList<>(List.of("--cap-add=NET_ADMIN", "--cap-add=NET_RAW"));
        if (d.claudeCode().sandbox()) {
            runArgs.add(seccompRunArg(d));
        }
        view.put("runArgs", JsonText.of(runArgs, 2));
        List<String> mounts = new ArrayList<>(List.of(
                "source=claude-devc-${devcontainerId}-config,target=" + claudeConfigDir(d) + ",type=volume",
                "source=claude-devc-${devcontainerId}-history,target=/commandhistory,type=volume"));
        for (String cache : caches(d)) {
            mounts.add("source=claude-devc-${devcontainerId}-" + cache.replaceAll("[^a-z0-9]+", "-")
                    .replaceAll("^-|-$", "") + ",target=" + d.home() + "/" + cache + ",type=volume");
        }
        mounts.addAll(WorkspaceMounts.of(paths, d.output().path()));
        view.put("mounts", JsonText.of(mounts, 2));
        view.put("initializeCommand", JsonText.of(WorkspaceMounts.initializeCommand(d.output().path()), 2));
        Map<String, String> remoteEnv = new TreeMap<>(Forwarding.remoteEnv(d.workspace().forwardGitCredentials()));
        remoteEnv.put("PATH", "${containerEnv:PATH}:" + String.join(":", userPath(d)));
        view.put("remoteEnv", JsonText.of(remoteEnv, 2));
        Map<String, String> env = new TreeMap<>(d.containerEnv());
        env.put("CLAUDE_CONFIG_DIR", claudeConfigDir(d));
        d.proxy().ifPresent(proxy -> env.putAll(proxy.environment()));
        view.put("containerEnv", JsonText.of(env, 2));
        view.put("extensions", JsonText.of(d.vscode().extensions(), 6));
        view.put("settings", JsonText.of(new TreeMap<>(d.vscode().settings()), 6));
        view.put("postStartCommand", JsonText.of(ImageLayout.WAIT_COMMAND, 2));
        view.put("workspace", ImageLayout.WORKSPACE);
        view.put("postAttachCommand", JsonText.of(ImageLayout.ATTACH_COMMAND, 2));
        return GeneratedFile.text("devcontainer.json", render(DEVCONTAINER_TEMPLATE, view), false);
    }

    private GeneratedFile dockerfile(Descriptor d) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("image", d.image());
        view.put("timezone", d.timezone());
        view.put("user", d.user());
        view.put("home", d.home());
        List<String> packages = new ArrayList<>(BASE_PACKAGES);
        d.toolchains().fromDebian().forEach(t -> packages.addAll(t.ecosystem().debianPackages()));
        if (d.claudeCode().sandbox()) {
            packages.add("bubblewrap");  // Claude Code's Bash sandbox; socat (its proxy bridge) is a base package
        }
        if (d.claudeCode().install() == ClaudeCode.Install.NPM) {
            packages.add("nodejs");
            packages.add("npm");
        }
        d.packages().stream().filter(p -> !packages.contains(p)).forEach(packages::add);
        view.put("packages", packages.stream().sorted().distinct().map(p -> Map.of("name", p)).toList());
        view.put("caCertificates", !d.caCertificates().isEmpty());
        view.put("claudeNpm", d.claudeCode().install() == ClaudeCode.Install.NPM);
        view.put("claudeNative", d.claudeCode().install() == ClaudeCode.Install.NATIVE);
        view.put("claudeVersion", d.claudeCode().version());
        view.put("claudeConfigDir", claudeConfigDir(d));
        view.put("firewallPath", FIREWALL_PATH);
        view.put("entrypointPath", ImageLayout.ENTRYPOINT);
        view.put("denialsPath", ImageLayout.DENIALS);
        view.put("policyPath", POLICY_PATH);
        view.put("managedSettingsFile", ManagedSettings.FILE);
        view.put("managedSettingsPath", ImageLayout.MANAGED_SETTINGS);
        view.put("managedSettingsDir", ImageLayout.MANAGED_SETTINGS.substring(0,
                ImageLayout.MANAGED_SETTINGS.lastIndexOf('/')));
        view.put("workspace", ImageLayout.WORKSPACE);
        view.put("gitWrapperPath", ImageLayout.GIT_WRAPPER);
        view.put("gitView", ImageLayout.GIT_VIEW);
        view.put("attachPath", ImageLayout.ATTACH);
        view.put("forwardGitCredentials", d.workspace().forwardGitCredentials());
        view.put("forwardFlag", ImageLayout.FORWARD_GIT_CREDENTIALS_FLAG);
        view.put("systemPath", String.join(":", SYSTEM_PATH));
        view.put("systemDirs", String.join("|", SYSTEM_PATH));
        view.put("toolchainHomes", d.toolchains().list().stream()
                .flatMap(t -> t.ecosystem().officialHomes().stream()).sorted().map(h -> " " + h)
                .reduce("", String::concat));
        view.put("caches", caches(d).stream().map(c -> Map.of("path", d.home() + "/" + c)).toList());
        Map<String, String> homeEnv = new TreeMap<>();
        d.toolchains().list().forEach(t -> t.ecosystem().homeEnvironment()
                .forEach((k, v) -> homeEnv.put(k, d.home() + "/" + v)));
        view.put("homeEnv", homeEnv.entrySet().stream().map(e -> Map.of("name", e.getKey(), "value", e.getValue()))
                .toList());
        view.put("sudoCommands", ImageLayout.SUDO_COMMANDS.stream().map(c -> Map.of("command", c)).toList());
        return GeneratedFile.text("Dockerfile", render(DOCKERFILE_TEMPLATE, view), false);
    }

    private GeneratedFile script(String asset, String name) {
        byte[] script = assets.read(asset).orElseThrow(() -> new ClaudeDevcException(
                ClaudeDevcException.Kind.INVALID_OUTPUT, "missing firewall asset " + asset));
        return GeneratedFile.text(name, new String(script, java.nio.charset.StandardCharsets.UTF_8), true);
    }

    private GeneratedFile policy(Descriptor d, FirewallPolicy policy) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("project", d.name());
        view.put("mode", policy.mode());
        view.put("ipv6", policy.ipv6());
        List<Map<String, Object>> groups = new ArrayList<>();
        for (int i = 0; i < policy.groups().size(); i++) {
            groups.add(Map.of("id", i, "ports", policy.groups().get(i)));
        }
        view.put("groups", groups);
        view.put("names", policy.names().stream()
                .map(n -> Map.of("group", n.group(), "match", n.match(), "host", n.host())).toList());
        view.put("nets", policy.nets().stream().map(n -> Map.of("group", n.group(), "cidr", n.cidr())).toList());
        view.put("denied", policy.denied().stream().map(h -> Map.of("host", h)).toList());
        view.put("privateAnswers", policy.privateAnswers().stream().map(c -> Map.of("cidr", c)).toList());
        view.put("hostPorts", policy.hostPorts().stream().map(p -> Map.of("port", p)).toList());
        view.put("mcpRemote", d.network().mcpServers().stream().filter(s -> s.isRemote())
                .map(s -> Map.of("server", s.name(), "host", s.host().orElseThrow().toString())).toList());
        view.put("mcpStdio", d.network().mcpServers().stream().filter(s -> !s.isRemote())
                .map(s -> Map.of("server", s.name())).toList());
        view.put("verifyAllow", policy.verifyAllow().stream()
                .map(e -> Map.of("host", e.host(), "port", e.port())).toList());
        view.put("verifyDeny", policy.verifyDeny().stream()
                .map(e -> Map.of("host", e.host(), "port", e.port())).toList());
        return GeneratedFile.text("claude-devc-policy.conf", render(POLICY_TEMPLATE, view), false);
    }

    private static List<GeneratedFile> caCertificates(Descriptor d, Path projectDir) {
        List<GeneratedFile> files = new ArrayList<>();
        for (String path : d.caCertificates()) {
            String base = path.substring(path.lastIndexOf('/') + 1);
            String name = base.substring(0, base.lastIndexOf('.')) + ".crt";
            try {
                files.add(GeneratedFile.text("ca-certificates/" + name, Files.readString(projectDir.resolve(path)),
                        false));
            } catch (IOException e) {
                throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR,
                        "caCertificates: cannot read " + path + ": " + e.getMessage(), e);
            }
        }
        return files;
    }

    /** The user's caches (relative to the home folder), each on a per-project volume. */
    static List<String> caches(Descriptor d) {
        return d.toolchains().list().stream().flatMap(t -> t.ecosystem().caches().stream()).sorted().distinct()
                .toList();
    }

    /**
     * Folders the user's own tools install into: on the user's PATH (remoteEnv), after everything else, and never
     * on root's (the image's ENV), since the agent can write them.
     */
    static List<String> userPath(Descriptor d) {
        List<String> path = new ArrayList<>(List.of(d.home() + "/.local/bin"));
        d.toolchains().list().forEach(t -> {
            switch (t.ecosystem()) {
                case GO -> path.add(d.home() + "/go/bin");
                case RUST -> path.add(d.home() + "/.cargo/bin");
                default -> { }
            }
        });
        return path;
    }

    private static String claudeConfigDir(Descriptor d) {
        return d.home() + "/.claude";
    }

    private String render(String template, Map<String, Object> view) {
        return renderer.render(template, view);
    }
}
