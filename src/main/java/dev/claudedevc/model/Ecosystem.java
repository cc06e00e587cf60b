package dev.claudedevc.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A language ecosystem whose toolchain an image can carry: the one home of what claude-devc knows about each — its
 * official Dev Container image (Debian bookworm variants), the Debian bookworm packages that provide it and the
 * version bookworm ships, where the official image keeps the toolchain (made root-owned in the generated image),
 * and the per-user caches that live on per-project volumes.
 */
public enum Ecosystem {

    // The official images and the versions they are published for (bookworm variants), their non-root user and
    // toolchain folders, as devcontainers/images states them (src/<image>/manifest.json "variants" and README.md
    // "Using this image"; src/<image>/.devcontainer/{Dockerfile,devcontainer.json}), read at commit bed3eb26 of
    // July 2026. javascript-node is the Node image: typescript-node (javascript-node plus TypeScript) is published
    // for 22 and 24 only, and both run as the Node image's user "node"; the others run as "vscode". Go's image is
    // published for its two supported releases only (Go is backward compatible: 1.25 builds a "go 1.22" module).
    // Debian versions: bookworm's own packages (rustc-web/cargo-web are bookworm's newer Rust, built for the
    // browsers' needs and installed as /usr/bin/rustc and /usr/bin/cargo).
    NODE("node", "Node.js", "mcr.microsoft.com/devcontainers/javascript-node", List.of("20", "22", "24"), 1, "22",
            "node", List.of("nodejs", "npm"), "18.19",
            List.of("/usr/local/share/nvm", "/usr/local/share/npm-global"),
            List.of(".npm"), Map.of("NPM_CONFIG_PREFIX", ".npm-global")),
    PYTHON("python", "Python", "mcr.microsoft.com/devcontainers/python",
            List.of("3.10", "3.11", "3.12", "3.13", "3.14"), 2, "3.12",
            "vscode", List.of("python3", "python3-pip", "python3-venv"), "3.11",
            List.of("/usr/local/python", "/usr/local/py-utils"),
            List.of(".cache/pip"), Map.of("PIPX_HOME", ".local/share/pipx", "PIPX_BIN_DIR", ".local/bin")),
    JAVA("java", "Java (JDK)", "mcr.microsoft.com/devcontainers/java", List.of("11", "17", "21", "25"), 1, "21",
            "vscode", List.of("maven", "openjdk-17-jdk-headless"), "17",
            List.of("/usr/lib/jvm/msopenjdk-current", "/usr/local/sdkman"),
            List.of(".m2", ".gradle"), Map.of()),
    GO("go", "Go", "mcr.microsoft.com/devcontainers/go", List.of("1.25", "1.26"), 2, "1.26",
            "vscode", List.of("golang-go"), "1.19",
            List.of("/usr/local/go", "/go"),
            List.of("go", ".cache/go-build"), Map.of("GOPATH", "go")),
    RUST("rust", "Rust", "mcr.microsoft.com/devcontainers/rust", List.of("1"), 1, "1",
            "vscode", List.of("cargo-web", "rustc-web"), "1.85",
            List.of("/usr/local/cargo", "/usr/local/rustup"),
            List.of(".cargo"), Map.of("CARGO_HOME", ".cargo"));

    /** The Debian release every base image is: the official images' variant and where packages come from. */
    public static final String DEBIAN_RELEASE = "bookworm";

    private final String key;
    private final String displayName;
    private final String officialImage;
    private final List<String> officialVersions;
    private final int tagParts;
    private final String defaultVersion;
    private final String officialUser;
    private final List<String> debianPackages;
    private final ToolchainVersion debianVersion;
    private final List<String> officialHomes;
    private final List<String> caches;
    private final Map<String, String> homeEnvironment;

    Ecosystem(String key, String displayName, String officialImage, List<String> officialVersions, int tagParts,
            String defaultVersion, String officialUser, List<String> debianPackages, String debianVersion, List<String> officialHomes, List<String> caches,
            Map<String, String> homeEnvironment) {
        this.key = key;
        this.displayName = displayName;
        this.officialImage = officialImage;
        this.officialVersions = officialVersions;
        this.tagParts = tagParts;
        this.defaultVersion = defaultVersion;
        this.officialUser = officialUser;
        this.debianPackages = debianPackages;
        this.debianVersion = ToolchainVersion.parse(debianVersion);
        this.officialHomes = officialHomes;
        this.caches = caches;
        this.homeEnvironment = homeEnvironment;
    }

    /** The descriptor's key ({@code toolchains.node}). */
    public String key() {
        return key;
    }

    public String displayName() {
        return displayName;
    }

    /** The ecosystem with this descriptor key. */
    public static Optional<Ecosystem> byKey(String key) {
        for (Ecosystem e : values()) {
            if (e.key.equals(key.toLowerCase(Locale.ROOT))) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * The official Dev Container image (bookworm variant) whose toolchain meets {@code required}: the lowest
     * published version at or above it ({@code javascript-node:22-bookworm}). Rust's image always carries the
     * latest stable Rust, which meets any {@code rust-version} a published crate can state.
     */
    public Optional<String> officialImage(ToolchainVersion required) {
        if (this == RUST) {
            return Optional.of(officialImage + ":1-" + DEBIAN_RELEASE);
        }
        ToolchainVersion wanted = required.prefix(tagParts);
        return officialVersions.stream().filter(v -> ToolchainVersion.parse(v).meets(wanted)).findFirst()
                .map(v -> officialImage + ":" + v + "-" + DEBIAN_RELEASE);
    }

    /** The official image's non-root user (uid 1000): the agent's user when that image is the base. */
    public String officialUser() {
        return officialUser;
    }

    /** The version init writes when the project states none. */
    public String defaultVersion() {
        return defaultVersion;
    }

    /** The official image's repository, without a tag. */
    public String officialRepository() {
        return officialImage;
    }

    /** The published versions claude-devc knows, lowest first. */
    public List<String> officialVersions() {
        return officialVersions;
    }

    /** The Debian bookworm packages that provide the toolchain (and its build tool, for Java: Maven). */
    public List<String> debianPackages() {
        return debianPackages;
    }

    /**
     * A toolchain from Debian packages.
     *
     * @param packages  what apt installs
     * @param version   the version they provide (major.minor)
     * @param backports whether they come from {@value #BACKPORTS}, which the Dockerfile adds for that one step
     * @param commands  absolute paths of its commands outside the system folders, each linked into /usr/local/bin
     */
    public record DebianToolchain(List<String> packages, ToolchainVersion version, boolean backports,
            List<String> commands) {
        public DebianToolchain {
            packages = List.copyOf(packages);
            commands = List.copyOf(commands);
        }
    }

    /** Debian's suite of newer versions for the stable release, from the same mirror. */
    public static final String BACKPORTS = DEBIAN_RELEASE + "-backports";

    /**
     * The Debian packages that meet {@code required}: bookworm's own when they do, else the newer version
     * bookworm-backports packages (Go: golang-1.23-go, as bookworm's golang-go is 1.19); empty when neither does.
     */
    public Optional<DebianToolchain> debianToolchain(ToolchainVersion required) {
        if (debianVersion.meets(required)) {
            return Optional.of(new DebianToolchain(debianPackages, debianVersion, false, List.of()));
        }
        if (this == GO && GO_BACKPORT.meets(required)) {
            String dir = "/usr/lib/go-" + GO_BACKPORT + "/bin/";
            return Optional.of(new DebianToolchain(List.of("golang-" + GO_BACKPORT + "-go"), GO_BACKPORT, true,
                    List.of(dir + "go", dir + "gofmt")));
        }
        return Optional.empty();
    }

    /** The newest Go bookworm-backports packages (golang-1.23-go: /usr/lib/go-1.23, no /usr/bin/go of its own). */
    private static final ToolchainVersion GO_BACKPORT = ToolchainVersion.parse("1.23");

    /** What Debian offers, for a message: {@code 1.19 (golang-go), or 1.23 from bookworm-backports}. */
    public String debianOffer() {
        String own = debianVersion + " (" + String.join(", ", debianPackages) + ")";
        return this == GO ? own + ", or " + GO_BACKPORT + " from " + BACKPORTS + " (golang-" + GO_BACKPORT + "-go)"
                : own;
    }

    /** The version Debian bookworm ships (major.minor). */
    public ToolchainVersion debianVersion() {
        return debianVersion;
    }

    /** Where the official image keeps the toolchain: root-owned in the generated image, whatever it was. */
    public List<String> officialHomes() {
        return officialHomes;
    }

    /** The user's caches, relative to the home folder: each on a per-project volume. */
    public List<String> caches() {
        return caches;
    }

    /** Environment pointing the toolchain's writable state into the home folder (values relative to it). */
    public Map<String, String> homeEnvironment() {
        return homeEnvironment;
    }

    /** The allowlist preset that reaches this ecosystem's package registry. */
    public String preset() {
        return switch (this) {
            case NODE -> "npm";
            case PYTHON -> "pypi";
            case JAVA -> "maven";
            case GO -> "go";
            case RUST -> "crates";
        };
    }
}
