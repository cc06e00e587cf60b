package dev.claudedevc.model;

import java.util.List;

/** Where the firewall's files live inside every generated image (firewall/README.md, "Runtime layout"). */
public final class ImageLayout {

    /** The firewall script, root-owned 0755; the user may run it through sudo with no arguments. */
    public static final String FIREWALL = "/usr/local/sbin/claude-devc-firewall";
    /** The image's ENTRYPOINT, root-owned 0755: applies the firewall at every container start. */
    public static final String ENTRYPOINT = "/usr/local/sbin/claude-devc-entrypoint";
    /**
     * The attach step, root-owned 0755: after each IDE attach (postAttachCommand, through its exact sudo entry) it
     * removes the forwarded git credential helper from the system git config and unlinks forwarded sockets.
     */
    public static final String ATTACH = "/usr/local/sbin/claude-devc-attach";
    /** Present (root-owned) when the descriptor opts in to forwarded git credentials: the attach step keeps them. */
    public static final String FORWARD_GIT_CREDENTIALS_FLAG = "/etc/claude-devc/forward-git-credentials";
    /** What the attach step last did (readable by every user). */
    public static final String ATTACH_RECORD = "/run/claude-devc/attach.last";
    /** The folder of the compiled policy, root-owned 0755. */
    public static final String POLICY_DIR = "/etc/claude-devc";
    /** The compiled policy's header (version, counts, self-test targets, the others' SHA-256), root-owned 0644. */
    public static final String POLICY = POLICY_DIR + "/policy.conf";

    public static final PlacedFile POLICY_HEADER = new PlacedFile("claude-devc-policy.conf", POLICY);
    public static final PlacedFile IPSETS = new PlacedFile("claude-devc-ipsets.restore", POLICY_DIR + "/ipsets.restore");
    public static final PlacedFile FILTER4 = new PlacedFile("claude-devc-filter4.rules", POLICY_DIR + "/filter4.rules");
    public static final PlacedFile FILTER6 = new PlacedFile("claude-devc-filter6.rules", POLICY_DIR + "/filter6.rules");
    public static final PlacedFile DNSMASQ = new PlacedFile("claude-devc-dnsmasq.conf", POLICY_DIR + "/dnsmasq.conf");
    /**
     * The compiled firewall policy, the header first (firewall/README.md, "Compiled policy"): what {@code generate}
     * writes, the image installs root-owned 0644 in {@link #POLICY_DIR} and the firewall script loads (it names the
     * same files).
     */
    public static final List<PlacedFile> COMPILED_POLICY = List.of(POLICY_HEADER, IPSETS, FILTER4, FILTER6, DNSMASQ);

    /** The compiled file written as {@code name} in the output folder. */
    public static PlacedFile compiledByName(String name) {
        return COMPILED_POLICY.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a compiled policy file: " + name));
    }

    /** dnsmasq's pid file. */
    public static final String DNSMASQ_PID = "/run/claude-devc/dnsmasq.pid";
    /**
     * The resolver's own system account: the only one whose packets may reach the upstream DNS server, owner of
     * dnsmasq and its log. The agent must never be it, nor share its uid (the Dockerfile and the firewall check).
     */
    public static final String DNS_USER = "claude-devc-dns";
    /**
     * Account names claude-devc keeps for itself (the resolver's, and any later one): a descriptor's {@code user}
     * starting with this is refused, like {@code root}.
     */
    public static final String RESERVED_USER_PREFIX = "claude-devc";
    /** The system's CA bundle (update-ca-certificates writes it), with the project's and this machine's CAs. */
    public static final String CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
    /**
     * What the common runtimes read for their trusted CAs, every one pointed at {@link #CA_BUNDLE} in every image
     * (OpenSSL, Python's ssl and Go: SSL_CERT_FILE; requests and pip: REQUESTS_CA_BUNDLE; Node.js:
     * NODE_EXTRA_CA_CERTS; curl: CURL_CA_BUNDLE; git: GIT_SSL_CAINFO). Java's store is updated at build time.
     * claude-devc sets them, so a descriptor may not.
     */
    public static final List<String> TRUST_VARIABLES = List.of("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE",
            "NODE_EXTRA_CA_CERTS", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO");
    /**
     * Claude Code's managed settings on Linux, root-owned 0644: the highest-precedence settings file, which the
     * user's and the project's settings cannot override.
     */
    public static final String MANAGED_SETTINGS = "/etc/claude-code/managed-settings.json";
    /**
     * The firewall's denial record as one line each ("blocked by the dev container firewall: HOST — ask to add it
     * to claude-devc.yaml"), for the agent's user and Claude Code's managed hook; root-owned 0755.
     */
    public static final String DENIALS = "/usr/local/bin/claude-devc-denials";
    /** The resolver's query log, readable by every user. */
    public static final String DNS_LOG = "/var/log/claude-devc/dns.log";

    /**
     * The policy installer, root-owned 0755 and in no sudoers entry: root from outside the container (claude-devc
     * apply, through the engine's exec as uid 0) runs it to make staged policy files the live ones and re-apply.
     */
    public static final String INSTALL_POLICY = "/usr/local/sbin/claude-devc-install-policy";
    /**
     * Where apply stages the files it pushes: root-owned 0700, in the root-owned state folder (the installer makes
     * it, and refuses any staged entry that is not root's).
     */
    public static final String STAGING = "/var/lib/claude-devc/staging";

    /**
     * A rendered file the image carries at a fixed path.
     *
     * @param name the file's name in the rendered output folder
     * @param path where the Dockerfile copies it in the image
     */
    public record PlacedFile(String name, String path) {
        /** The file's name in the image ({@code policy.conf}). */
        public String fileName() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    /**
     * The rendered files that make up the policy a running container enforces: the firewall's, and Claude Code's
     * managed settings derived from the same policy. {@code apply} pushes exactly these (never one without the
     * other), and the Dockerfile copies the same bytes to the same paths, so the next build bakes in what was applied.
     */
    public static final List<PlacedFile> POLICY_FILES = java.util.stream.Stream.concat(COMPILED_POLICY.stream(),
            java.util.stream.Stream.of(new PlacedFile("claude-code-managed-settings.json", MANAGED_SETTINGS))).toList();

    /** Where the workspace is mounted in the container. */
    public static final String WORKSPACE = "/workspace";
    /**
     * The writable view of the repository's {@code .git} (its config, hooks, info/attributes and modules mounted
     * read-only over it); {@code /workspace/.git} itself is read-only and cannot be renamed. The git wrapper points
     * git at it for the workspace.
     */
    public static final String GIT_VIEW = "/var/lib/claude-devc/git";
    /** The git wrapper, root-owned, before /usr/bin on PATH: says why a command that writes .git/config fails. */
    public static final String GIT_WRAPPER = "/usr/local/bin/git";
    /** The host step's file in the output folder: devcontainer.json's initializeCommand runs it on the host. */
    public static final String HOST_STEP = "claude-devc-host.sh";
    /**
     * The folder in the output folder where the host step prepares mount sources at each start (git-ignored): its
     * {@code git} is a link to the repository's {@code .git}, or an empty placeholder when there is none.
     */
    public static final String HOST_RUN_DIR = ".claude-devc-run";

    /**
     * The seccomp profile claude-devc generates into the output folder; devcontainer.json may name this profile and
     * no other ({@code --security-opt=seccomp=${localWorkspaceFolder}/OUTPUT/claude-devc-seccomp.json}).
     */
    public static final String SECCOMP_FILE = "claude-devc-seccomp.json";

    /**
     * The only commands the agent's user may run as root, each exactly (sudoers: {@code ""} means no arguments).
     * The Dockerfile writes these entries and refuses a base image that grants anything else.
     */
    public static final List<String> SUDO_COMMANDS = List.of(
            FIREWALL + " \"\"",     // apply: what the entrypoint runs at every start
            FIREWALL + " status",   // the live check: reading the kernel's tables needs root
            FIREWALL + " denials",  // the rejected connections: reading the kernel's sets needs root
            ATTACH + " \"\"");      // after each attach: /etc/gitconfig is root's

    /** How a start waits for the firewall: returns once it is in force for this start, fails when it failed. */
    public static final String WAIT_COMMAND = FIREWALL + " wait";
    /** devcontainer.json's postAttachCommand: the attach step, through its exact sudo entry. */
    public static final String ATTACH_COMMAND = "sudo -n " + ATTACH;
    /** The live check as the user runs it (through the exact sudo entry). */
    public static final List<String> STATUS_COMMAND = List.of(FIREWALL, "status");

    /**
     * Run as the agent's user: succeeds (and prints the folder) when the user can write a folder on the image's
     * PATH, which is root's too, or one is not root-owned: a command planted there runs when root runs that tool.
     */
    public static final List<String> ROOT_PATH_WRITABLE = List.of("/bin/sh", "-c",
            "IFS=:; for d in $PATH; do [ -d \"$d\" ] || continue; "
                    + "if [ -w \"$d\" ] || [ \"$(stat -L -c %u \"$d\")\" != 0 ]; then echo \"$d\"; exit 0; fi; done; "
                    + "exit 1");

    private ImageLayout() {
    }
}
