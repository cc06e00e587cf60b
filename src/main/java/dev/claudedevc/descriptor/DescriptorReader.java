package dev.claudedevc.descriptor;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.model.ClaudeCode;
import dev.claudedevc.model.Descriptor;
import dev.claudedevc.model.DomainRule;
import dev.claudedevc.model.Endpoint;
import dev.claudedevc.model.ImageLayout;
import dev.claudedevc.model.NetworkPolicy;
import dev.claudedevc.model.ProtectedPaths;
import dev.claudedevc.model.OutputFolder;
import dev.claudedevc.model.Ecosystem;
import dev.claudedevc.model.ToolchainVersion;
import dev.claudedevc.model.Toolchains;
import dev.claudedevc.model.Proxy;
import dev.claudedevc.model.StartupVariables;
import dev.claudedevc.model.VsCode;
import dev.claudedevc.model.WorkspaceBoundary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads {@code claude-devc.yaml} (or {@code .yml}/{@code .json}) into a validated {@link Descriptor}. The file is
 * checked as bytes (size, UTF-8, control characters), then as a tree (no aliases, tags or duplicate keys), then key
 * by key against tight patterns. The first problem ends the read with a located one-line message.
 */
public final class DescriptorReader {

    /** Larger descriptors are refused before parsing. */
    public static final int MAX_BYTES = 256 * 1024;
    /** Where a descriptor is looked for in a project folder, in this order. */
    public static final List<String> FILE_NAMES = List.of("claude-devc.yaml", "claude-devc.yml", "claude-devc.json");

    public static final String DEFAULT_IMAGE = "debian:bookworm";
    public static final String DEFAULT_USER = "dev";
    public static final List<Integer> DEFAULT_PORTS = List.of(443, 80);

    static final List<String> TOP_KEYS = List.of("name", "image", "user", "packages", "timezone", "claudeCode",
            "network", "vscode", "containerEnv", "caCertificates", "proxy", "output", "toolchains",
            "workspace");
    static final List<String> CLAUDE_KEYS = List.of("install", "version", "permissionMode", "denyRead",
            "nonEssential", "settings", "sandbox");
    static final List<String> NETWORK_KEYS = List.of("mode", "ipv6", "presets", "allowedDomains", "deniedDomains",
            "allowedCidrs", "privateAnswers", "ports", "hostAccess", "verify", "mcp");
    static final List<String> HOST_ACCESS_KEYS = List.of("ports");
    static final List<String> VERIFY_KEYS = List.of("allow", "deny");
    static final List<String> VSCODE_KEYS = List.of("extensions", "settings");
    static final List<String> PROXY_KEYS = List.of("http", "https", "noProxy");
    static final List<String> WORKSPACE_KEYS = List.of("readOnly", "writable", "forwardGitCredentials");
    /** Set by claude-devc itself; a descriptor may not override them. */
    static final List<String> RESERVED_ENV = java.util.stream.Stream.concat(java.util.stream.Stream.of("CLAUDE_CONFIG_DIR",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "PATH", "TZ"),
            ImageLayout.TRUST_VARIABLES.stream()).toList();

    /** The IANA zones the JDK knows (the image's tzdata has the same names), without the JDK's legacy aliases. */
    static final java.util.Set<String> ZONES = java.time.ZoneId.getAvailableZoneIds().stream()
            .filter(z -> !z.startsWith("SystemV/")).collect(java.util.stream.Collectors.toCollection(TreeSet::new));

    /**
     * Finds and reads the project's descriptor. The names it refers to elsewhere (presets and their optional
     * groups) are resolved with the effective policy ({@code policy.EffectivePolicy.of}), which refuses an unknown
     * one with a located error like the reader's own.
     *
     * @param projectDir the project folder
     * @param file       an explicit descriptor file, or empty to look for {@link #FILE_NAMES}
     */
    public static LoadedDescriptor load(Path projectDir, Optional<Path> file) {
        return new DescriptorReader().read(locate(projectDir, file));
    }

    /**
     * The descriptor file to use: the explicit one, else the one of {@link #FILE_NAMES} that exists. Two or more
     * are refused: only the project's own descriptor is mounted read-only in the dev container, so the agent can
     * write the other names, and one read first would become the policy of the next generate or apply.
     */
    public static Path locate(Path projectDir, Optional<Path> file) {
        if (file.isPresent()) {
            return file.get();
        }
        List<Path> found = FILE_NAMES.stream().map(projectDir::resolve).filter(p -> Files.exists(p,
                java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList();
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.size() > 1) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR, "several descriptors in "
                    + projectDir + " (" + String.join(", ", found.stream().map(p -> p.getFileName().toString())
                    .toList()) + "): keep the project's one and delete the others, or name it with -f (only the "
                    + "project's descriptor is read-only in the dev container: the agent can write the other names)");
        }
        throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR,
                "no descriptor in " + projectDir + " (looked for " + String.join(", ", FILE_NAMES)
                        + "); run 'claude-devc init' to create one");
    }

    /** Reads and validates one descriptor file. */
    public LoadedDescriptor read(Path file) {
        // Checked before opening: a FIFO would block for ever, a device never end.
        byte[] bytes = dev.claudedevc.BoundedFiles.read(file, MAX_BYTES, ClaudeDevcException.Kind.INVALID_DESCRIPTOR,
                Located.Source.display(file));
        return load(bytes, file);
    }

    /** Validates descriptor bytes; {@code file} names the source in messages and anchors relative paths. */
    public Descriptor parse(byte[] bytes, Path file) {
        return load(bytes, file).descriptor();
    }

    /** Validates descriptor bytes, keeping where each value was written (see {@link #parse}). */
    public LoadedDescriptor load(byte[] bytes, Path file) {
        boolean json = file.getFileName().toString().endsWith(".json");
        Located.Source source = new Located.Source(file, json ? "JSON" : "YAML");
        if (bytes.length > MAX_BYTES) {
            throw source.error(1, 1, "", bytes.length + " bytes is over the " + MAX_BYTES + "-byte limit");
        }
        String text = decode(bytes, source);
        Node root = (json ? TreeParser.json() : TreeParser.yaml()).parse(text, source);
        Path baseDir = file.toAbsolutePath().getParent();
        Descriptor descriptor = descriptor(Fields.of(source, root, "", TOP_KEYS), baseDir);
        return new LoadedDescriptor(file, descriptor, sha256(bytes), SourceMap.of(file, root));
    }

    private static String decode(byte[] bytes, Located.Source source) {
        boolean tabIndents = source.format().equals("YAML");
        int indentEnd = 1;
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, bytes.length - start))
                    .toString();
        } catch (CharacterCodingException e) {
            int line = 1;
            int column = 1;
            int bad = firstInvalidUtf8(bytes, start);
            for (int i = start; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    column = 1;
                } else if ((bytes[i] & 0xc0) != 0x80) {
                    column++;
                }
            }
            throw source.error(line, column, "", "not valid UTF-8 (byte 0x"
                    + String.format("%02x", bytes[bad] & 0xff) + " at offset " + bad + ")");
        }
        int line = 1;
        int column = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                column = 1;
                indentEnd = 1;
                continue;
            }
            // YAML reads NEL (U+0085) and a lone CR as line breaks: text that looks like one line could hold two.
            boolean loneReturn = c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n');
            if ((Fields.isControl(c) && c != '\t' && c != '\r') || loneReturn || c == 0xfeff) {
                throw source.error(line, column, "", String.format((c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e)
                        || (c >= 0x2066 && c <= 0x2069) || c == 0x061c || c == 0x2060
                        ? "invisible character U+%04X (bidirectional or zero-width) is not allowed: it makes the"
                        + " text read differently from what it is" : "control character U+%04X is not allowed", (int) c));
            }
            if (c == '\t' && tabIndents && column == indentEnd) {
                throw source.error(line, column, "", "a tab is used for indentation; YAML indents with spaces only");
            }
            if (c != ' ' && c != '\t' && column == indentEnd) {
                indentEnd = -1;
            } else if (c == ' ' && column == indentEnd) {
                indentEnd++;
            }
            column++;
        }
        return text;
    }

    private static int firstInvalidUtf8(byte[] bytes, int start) {
        for (int i = start; i < bytes.length; ) {
            int b = bytes[i] & 0xff;
            int length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5
                    ? 4 : 0;
            if (length == 0 || i + length > bytes.length) {
                return i;
            }
            for (int k = 1; k < length; k++) {
                if ((bytes[i + k] & 0xc0) != 0x80) {
                    return i;
                }
            }
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, i, length));
            } catch (CharacterCodingException e) {
                return i;
            }
            i += length;
        }
        return Math.max(start, bytes.length - 1);
    }

    private Descriptor descriptor(Fields top, Path baseDir) {
        String name = top.string("name", Syntax.PROJECT_NAME,
                        "a project name (lower-case letters, digits and single . _ - between them)")
                .orElseThrow(() -> top.source().error(top.node(), "name",
                        "missing required key 'name' (the project's name, e.g. my-app)"));
        if (name.length() > 63) {
            throw top.source().error(top.node("name").orElseThrow(), "name", "longer than 63 characters");
        }
        Toolchains toolchains = toolchains(top);
        Optional<String> officialImage = toolchains.fromBaseImage().flatMap(t -> t.ecosystem().officialImage(t.version()));
        String image = top.string("image", Syntax.IMAGE, "an image reference (e.g. debian:bookworm)")
                .or(() -> officialImage).orElse(DEFAULT_IMAGE);
        String user = top.string("user", Syntax.USER, "a user name (lower-case, at most 32 characters)")
                .orElse(toolchains.fromBaseImage().map(t -> t.ecosystem().officialUser()).orElse(DEFAULT_USER));
        if (user.equals("root")) {
            throw top.source().error(top.node("user").orElseThrow(), "user",
                    "the agent must not run as root; choose a non-root user name");
        }
        if (user.startsWith(ImageLayout.RESERVED_USER_PREFIX)) {
            throw top.source().error(top.node("user").orElseThrow(), "user", "'" + user + "' is reserved: names"
                    + " starting with " + ImageLayout.RESERVED_USER_PREFIX + " are claude-devc's own accounts (the"
                    + " resolver's " + ImageLayout.DNS_USER + " may reach the upstream DNS server); choose another"
                    + " user name");
        }
        List<String> packages = new ArrayList<>(new TreeSet<>(top.list("packages",
                (n, p) -> top.checkedString(n, p, Syntax.PACKAGE, "a Debian package name (name or name=version)"))));
        String timezone = top.string("timezone", Syntax.TIMEZONE, "a time zone name such as Europe/Berlin or UTC")
                .orElse("UTC");
        if (!ZONES.contains(timezone)) {
            throw top.source().error(top.node("timezone").orElseThrow(), "timezone", "'" + timezone + "' is not an"
                    + " IANA time zone" + Fields.suggestion(timezone, ZONES) + " (e.g. Europe/Berlin, America/New_York,"
                    + " UTC)");
        }
        ClaudeCode claudeCode = top.section("claudeCode", CLAUDE_KEYS).map(this::claudeCode)
                .orElse(new ClaudeCode(ClaudeCode.Install.NATIVE, "latest"));
        NetworkPolicy network = network(top.section("network", NETWORK_KEYS), baseDir);
        VsCode vscode = top.section("vscode", VSCODE_KEYS).map(this::vscode)
                .orElse(new VsCode(List.of(), Map.of()));
        Map<String, String> env = containerEnv(top);
        List<String> certificates = caCertificates(top, baseDir);
        Optional<Proxy> proxy = top.section("proxy", PROXY_KEYS).map(this::proxy);
        OutputFolder output = output(top, baseDir);
        WorkspaceBoundary workspace = top.section("workspace", WORKSPACE_KEYS).map(DescriptorReader::workspace)
                .orElse(WorkspaceBoundary.DEFAULT);
        return new Descriptor(name, image, user, packages, timezone, claudeCode, network, vscode, env, certificates,
                proxy, output, toolchains, workspace);
    }

    private ClaudeCode claudeCode(Fields f) {
        ClaudeCode.Install install = f.enumValue("install", ClaudeCode.Install.class).orElse(ClaudeCode.Install.NATIVE);
        String version = f.string("version", Syntax.CLAUDE_VERSION, "latest, stable or a version such as 1.0.44")
                .orElse("latest");
        ClaudeCode.PermissionMode mode = f.node("permissionMode").map(n -> {
            String text = f.string(n, f.path("permissionMode"));
            return ClaudeCode.PermissionMode.of(text).orElseThrow(() -> f.source().error(n, f.path("permissionMode"),
                    "'" + Fields.printable(text) + "' is not one of default, acceptEdits, auto, bypassPermissions"));
        }).orElse(ClaudeCode.PermissionMode.DEFAULT);
        List<String> denyRead = distinct(f, "denyRead", f.list("denyRead", (n, p) -> f.checkedString(n, p,
                Syntax.SECRET_PATH, "a path or pattern relative to the workspace (e.g. .env or secrets/**; no leading"
                        + " / or ~, no ..)")));
        List<ClaudeCode.Traffic> traffic = distinct(f, "nonEssential", f.list("nonEssential", (n, p) -> {
            String text = f.string(n, p);
            return ClaudeCode.Traffic.of(text).orElseThrow(() -> f.source().error(n, p, "'" + Fields.printable(text)
                    + "' is not one of " + String.join(", ", java.util.Arrays.stream(ClaudeCode.Traffic.values())
                            .map(ClaudeCode.Traffic::spelling).toList())));
        }));
        if (traffic.contains(ClaudeCode.Traffic.FEATURE_FLAGS) && !traffic.contains(ClaudeCode.Traffic.TELEMETRY)) {
            throw f.source().error(f.node("nonEssential").orElseThrow(), f.path("nonEssential"), "featureFlags needs"
                    + " telemetry too: Claude Code's DISABLE_TELEMETRY also stops feature-flag fetching");
        }
        Map<String, Object> settings = f.node("settings").map(n -> ManagedSettingsRules.read(f.source(), n,
                f.path("settings"))).orElse(Map.of());
        boolean sandbox = f.node("sandbox").map(n -> {
            if (n instanceof Node.Scalar sc && sc.value() instanceof Boolean b) {
                return b;
            }
            throw f.source().error(n, f.path("sandbox"), "expected true or false, got " + n.typeName());
        }).orElse(true);
        return new ClaudeCode(install, version, mode, denyRead, new LinkedHashSet<>(traffic), settings, sandbox);
    }

    private NetworkPolicy network(Optional<Fields> section, Path baseDir) {
        if (section.isEmpty()) {
            return new NetworkPolicy(NetworkPolicy.Mode.ENFORCE, NetworkPolicy.Ipv6Mode.FILTER, List.of(), List.of(),
                    List.of(), List.of(), List.of(), DEFAULT_PORTS, List.of(), List.of(), List.of());
        }
        Fields f = section.get();
        NetworkPolicy.Mode mode = f.enumValue("mode", NetworkPolicy.Mode.class).orElse(NetworkPolicy.Mode.ENFORCE);
        NetworkPolicy.Ipv6Mode ipv6 = f.enumValue("ipv6", NetworkPolicy.Ipv6Mode.class)
                .orElse(NetworkPolicy.Ipv6Mode.FILTER);
        List<String> presetNames = distinct(f, "presets", f.list("presets",
                (n, p) -> f.checkedString(n, p, Syntax.PRESET_NAME, "a preset name")));
        List<DomainRule> allowed = distinct(f, "allowedDomains",
                f.list("allowedDomains", (n, p) -> f.parse(n, p, Syntax::domainRule)));
        List<DomainRule> denied = distinct(f, "deniedDomains", f.list("deniedDomains", (n, p) -> {
            DomainRule rule = f.parse(n, p, Syntax::domainRule);
            if (!rule.isName() || rule.port().isPresent()) {
                throw f.source().error(n, p, "deniedDomains takes host names or *.suffix without a port; to keep an"
                        + " address or port closed, leave it out of the allowlist");
            }
            return rule;
        }));
        var cidrs = distinct(f, "allowedCidrs", f.list("allowedCidrs", (n, p) -> f.parse(n, p, Syntax::cidr)));
        var privateAnswers = distinct(f, "privateAnswers",
                f.list("privateAnswers", (n, p) -> f.parse(n, p, Syntax::cidr)));
        List<Integer> ports = f.node("ports").isPresent()
                ? distinct(f, "ports", f.list("ports", f::port)) : DEFAULT_PORTS;
        if (ports.isEmpty()) {
            throw f.source().error(f.node("ports").orElseThrow(), f.path("ports"), "needs at least one port");
        }
        List<Integer> hostPorts = f.section("hostAccess", HOST_ACCESS_KEYS)
                .map(h -> distinct(h, "ports", h.list("ports", h::port))).orElse(List.of());
        Optional<Fields> verify = f.section("verify", VERIFY_KEYS);
        List<Endpoint> verifyAllow = verify.map(v -> endpoints(v, "allow")).orElse(List.of());
        List<Endpoint> verifyDeny = verify.map(v -> endpoints(v, "deny")).orElse(List.of());
        NetworkPolicy.McpMode mcp = f.enumValue("mcp", NetworkPolicy.McpMode.class)
                .orElse(NetworkPolicy.McpMode.IGNORE);
        List<dev.claudedevc.model.McpServer> mcpServers = mcp == NetworkPolicy.McpMode.ALLOW
                ? McpConfig.read(baseDir) : List.of();
        return new NetworkPolicy(mode, ipv6, presetNames, allowed, denied, cidrs, privateAnswers, ports, hostPorts,
                verifyAllow, verifyDeny, mcp, mcpServers);
    }

    private static List<Endpoint> endpoints(Fields v, String key) {
        return distinct(v, key, v.list(key, (n, p) -> v.parse(n, p, text -> Syntax.endpoint(text, 443))));
    }

    /** Refuses duplicates (a likely typo), keeping the order given. */
    private static <T> List<T> distinct(Fields f, String key, List<T> values) {
        LinkedHashSet<T> seen = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            if (!seen.add(values.get(i))) {
                Node list = f.node(key).orElseThrow();
                Node item = ((Node.ListNode) list).items().get(i);
                throw f.source().error(item, f.path(key) + "[" + i + "]", "duplicate entry '" + values.get(i) + "'");
            }
        }
        return List.copyOf(seen);
    }

    private VsCode vscode(Fields f) {
        List<String> extensions = new ArrayList<>(new TreeSet<>(f.list("extensions",
                (n, p) -> f.checkedString(n, p, Syntax.EXTENSION, "an extension id (publisher.name)")
                        .toLowerCase(java.util.Locale.ROOT))));
        Map<String, Object> settings = new TreeMap<>();
        f.node("settings").ifPresent(node -> {
            if (!(node instanceof Node.MapNode map)) {
                throw f.source().error(node, f.path("settings"), "expected a mapping, got " + node.typeName());
            }
            map.entries().forEach((key, entry) -> {
                String at = f.path("settings") + "." + key;
                if (!Syntax.SETTING_KEY.matcher(key).matches()) {
                    throw f.source().error(entry.keyLine(), entry.keyColumn(), at, "'" + Fields.printable(key)
                            + "' is not a VS Code setting name");
                }
                settings.put(key, jsonValue(f.source(), entry.value(), at));
            });
        });
        return new VsCode(extensions, settings);
    }

    /** A settings value as plain Java (Map/List/String/Long/Double/Boolean); strings free of control characters. */
    static Object jsonValue(Located.Source source, Node node, String at) {
        if (node instanceof Node.MapNode map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.entries().forEach((k, e) -> {
                if (Fields.hasControl(k)) {
                    throw source.error(e.keyLine(), e.keyColumn(), at, "key contains control characters");
                }
                out.put(k, jsonValue(source, e.value(), at + "." + k));
            });
            return out;
        }
        if (node instanceof Node.ListNode list) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                out.add(jsonValue(source, list.items().get(i), at + "[" + i + "]"));
            }
            return out;
        }
        Object value = ((Node.Scalar) node).value();
        if (value == null) {
            throw source.error(node, at, "null is not allowed; leave the setting out instead");
        }
        if (value instanceof String s && Fields.hasControl(s)) {
            throw source.error(node, at, "'" + Fields.printable(s) + "' contains control characters");
        }
        return value;
    }

    private static Map<String, String> containerEnv(Fields top) {
        Map<String, String> env = new TreeMap<>();
        top.node("containerEnv").ifPresent(node -> {
            if (!(node instanceof Node.MapNode map)) {
                throw top.source().error(node, "containerEnv", "expected a mapping, got " + node.typeName());
            }
            map.entries().forEach((key, entry) -> {
                String at = "containerEnv." + key;
                if (!Syntax.ENV_NAME.matcher(key).matches()) {
                    throw top.source().error(entry.keyLine(), entry.keyColumn(), at, "'" + Fields.printable(key)
                            + "' is not an environment variable name");
                }
                StartupVariables.refusal(key).ifPresent(reason -> {
                    throw top.source().error(entry.keyLine(), entry.keyColumn(), at, reason);
                });
                if (RESERVED_ENV.contains(key)) {
                    throw top.source().error(entry.keyLine(), entry.keyColumn(), at,
                            "is set by claude-devc itself (use the descriptor's own keys, e.g. proxy)");
                }
                Node value = entry.value();
                String text = value instanceof Node.Scalar s && (s.value() instanceof Long || s.value() instanceof Boolean)
                        ? String.valueOf(s.value())
                        : top.checkedString(value, at, Syntax.ENV_VALUE,
                                "a safe value (letters, digits, space and _./:@%+=,~- or ${localEnv:NAME})");
                env.put(key, text);
            });
        });
        return env;
    }

    private static List<String> caCertificates(Fields top, Path baseDir) {
        List<String> paths = top.list("caCertificates", (n, p) -> {
            String path = top.checkedString(n, p, Syntax.CERT_PATH,
                    "a relative path to a .crt or .pem file (no '..', no spaces)");
            if (path.startsWith("../") || path.contains("/../") || path.contains("/./") || path.startsWith("./")) {
                throw top.source().error(n, p, "'" + path + "' must be a plain relative path below the project");
            }
            Path file = baseDir.resolve(path);
            if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw top.source().error(n, p, "'" + path + "' does not exist (relative to " + baseDir + ")");
            }
            // A link inside the repository could pull any file of the machine into the image: resolve it.
            try {
                Path real = file.toRealPath();
                Path project = baseDir.toRealPath();
                if (!real.startsWith(project)) {
                    throw top.source().error(n, p, "'" + path + "' resolves to " + real + ", outside the project "
                            + project + "; copy the certificate into the project, or import it for this machine only"
                            + " with claude-devc ca import");
                }
                CaCertificates.reencode(real, path);
            } catch (IOException e) {
                throw top.source().error(n, p, "'" + path + "' cannot be read: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw top.source().error(n, p, e.getMessage());
            }
            return path;
        });
        // Each is installed as NAME.crt, whatever its folder, extension and case (checkouts on macOS and Windows
        // do not tell Corp.pem from corp.pem).
        Map<String, String> installedNames = new LinkedHashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            String name = CaCertificates.installName(path);
            String earlier = installedNames.putIfAbsent(name, path);
            if (earlier != null) {
                Node item = ((Node.ListNode) top.node("caCertificates").orElseThrow()).items().get(i);
                throw top.source().error(item, "caCertificates[" + i + "]", "'" + path + "' and '" + earlier
                        + "' would both be installed as " + name + ".crt (folder, extension and case are ignored);"
                        + " file names must differ");
            }
        }
        return paths;
    }

    private static WorkspaceBoundary workspace(Fields f) {
        List<String> readOnly = distinct(f, "readOnly", f.list("readOnly", (n, p) -> {
            String path = f.checkedString(n, p, Syntax.WORKSPACE_PATH,
                    "a plain relative path in the workspace (a folder ends with /; no '.', '..' or spaces)");
            if (path.equals(".git") || path.startsWith(".git/")) {
                throw f.source().error(n, p, "'" + path + "': .git is protected already (its config, hooks, "
                        + "info/attributes and modules are read-only, and .git cannot be replaced)");
            }
            return path;
        }));
        List<String> writable = distinct(f, "writable", f.list("writable", (n, p) -> {
            String path = f.checkedString(n, p, Syntax.WORKSPACE_PATH, "a plain relative path in the workspace");
            try {
                ProtectedPaths.of(ProtectedPaths.DEFAULT_OUTPUT, "claude-devc.yaml", List.of(), List.of(path));
            } catch (IllegalArgumentException e) {
                throw f.source().error(n, p, e.getMessage());
            }
            return path;
        }));
        boolean forward = f.bool("forwardGitCredentials").orElse(false);
        return new WorkspaceBoundary(readOnly, writable, forward);
    }

    /**
     * {@code toolchains}: {@code source} and one version per ecosystem key, in the descriptor's order. Where a
     * toolchain comes from Debian packages, bookworm's version must meet the requirement; when it does not, the
     * message names both versions and the fix.
     */
    private static Toolchains toolchains(Fields top) {
        Optional<Node> node = top.node("toolchains");
        if (node.isEmpty()) {
            return Toolchains.NONE;
        }
        List<String> keys = new ArrayList<>(List.of("source"));
        for (Ecosystem e : Ecosystem.values()) {
            keys.add(e.key());
        }
        Fields f = Fields.of(top.source(), node.get(), "toolchains", keys);
        Toolchains.Source source = f.node("source").map(n -> {
            String text = f.string(n, f.path("source"));
            return switch (text) {
                case "official-image" -> Toolchains.Source.OFFICIAL_IMAGE;
                case "debian" -> Toolchains.Source.DEBIAN;
                default -> throw f.source().error(n, f.path("source"), "'" + Fields.printable(text)
                        + "' is not one of official-image, debian");
            };
        }).orElse(Toolchains.Source.OFFICIAL_IMAGE);
        List<Toolchains.Toolchain> list = new ArrayList<>();
        List<Node> at = new ArrayList<>();
        for (Map.Entry<String, Node.Entry> entry : f.node().entries().entrySet()) {
            if (entry.getKey().equals("source")) {
                continue;
            }
            Ecosystem ecosystem = Ecosystem.byKey(entry.getKey()).orElseThrow();
            Node value = entry.getValue().value();
            String text;
            if (value instanceof Node.Scalar s && s.value() instanceof Long number) {
                text = String.valueOf(number);
            } else if (value instanceof Node.Scalar s && s.value() instanceof Double) {
                throw f.source().error(value, f.path(entry.getKey()), "write the version as a string ('"
                        + entry.getKey() + ": \"...\"'): as a number, 3.10 would read as 3.1");
            } else {
                text = f.string(value, f.path(entry.getKey()));
            }
            ToolchainVersion version;
            try {
                version = ToolchainVersion.parse(text);
            } catch (IllegalArgumentException e) {
                throw f.source().error(value, f.path(entry.getKey()), Fields.printable(e.getMessage()));
            }
            list.add(new Toolchains.Toolchain(ecosystem, version));
            at.add(value);
        }
        Toolchains toolchains = new Toolchains(source, list);
        toolchains.fromBaseImage().ifPresent(t -> {
            if (t.ecosystem().officialImage(t.version()).isEmpty() && top.node("image").isEmpty()) {
                throw f.source().error(at.get(0), f.path(t.ecosystem().key()), "no official Dev Container image of "
                        + t.ecosystem().displayName() + " " + t.version() + " is known to claude-devc (known: "
                        + String.join(", ", t.ecosystem().officialVersions()) + "); set image: to one that has it");
            }
        });
        List<Toolchains.Toolchain> debian = toolchains.fromDebian();
        for (Toolchains.Toolchain t : debian) {
            if (t.ecosystem().debianToolchain(t.version()).isEmpty()) {
                Node where = at.get(list.indexOf(t));
                boolean first = list.indexOf(t) == 0;
                String fix = source == Toolchains.Source.DEBIAN
                        ? "use source: official-image (the default), which bases the image on "
                                + t.ecosystem().officialImage(t.version()).orElse(t.ecosystem().officialRepository())
                        : first ? "" : "list " + t.ecosystem().key() + " first, so that its official Dev Container "
                                + "image is the base (the others then come from Debian packages)";
                throw f.source().error(where, f.path(t.ecosystem().key()), t.ecosystem().displayName() + " "
                        + t.version() + " is required, but Debian " + Ecosystem.DEBIAN_RELEASE + " packages "
                        + t.ecosystem().displayName() + " " + t.ecosystem().debianOffer() + "; " + fix
                        + ", or lower the requirement if the project builds with " + t.ecosystem().debianVersion());
            }
        }
        return toolchains;
    }

    /**
     * The output folder: its syntax (relative, no {@code ..}), and no existing part of it a symbolic link, which
     * could send the written files anywhere on the host.
     */
    private static OutputFolder output(Fields top, Path baseDir) {
        Optional<OutputFolder> given = top.parsed("output", OutputFolder::parse);
        if (given.isEmpty()) {
            return OutputFolder.DEFAULT;
        }
        Path at = baseDir;
        for (String segment : given.get().path().split("/")) {
            at = at.resolve(segment);
            if (Files.isSymbolicLink(at)) {
                throw top.source().error(top.node("output").orElseThrow(), "output", "'" + given.get()
                        + "' goes through the symbolic link " + baseDir.relativize(at)
                        + "; give a real folder inside the project");
            }
            if (Files.exists(at, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(at)) {
                throw top.source().error(top.node("output").orElseThrow(), "output", "'" + given.get() + "': "
                        + baseDir.relativize(at) + " is a file, not a folder");
            }
        }
        return given.get();
    }

    private Proxy proxy(Fields f) {
        Optional<String> http = f.parsed("http", Syntax::proxyUrl);
        Optional<String> https = f.parsed("https", Syntax::proxyUrl);
        List<String> noProxy = f.list("noProxy", (n, p) -> f.checkedString(n, p, Syntax.NO_PROXY,
                "a host, .suffix, IP or CIDR"));
        return new Proxy(http, https, noProxy);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
