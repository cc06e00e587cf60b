package dev.claudedevc.model;

import java.util.List;

/** Where the firewall's files live inside every generated image (firewall/README.md, "Runtime layout"). */
public final class ImageLayout {

    /** The firewall script, root-owned 0755; the user may run it through sudo with no arguments. */
    public static final String FIREWALL = "/usr/local/sbin/claude-devc-firewall";
    /** The image's ENTRYPOINT, root-owned 0755: applies the firewall at every container start. */
    public static final String ENTRYPOINT = "/usr/local/sbin/claude-devc-entrypoint";
    /** The rendered policy, root-owned 0644. */
    public static final String POLICY = "/etc/claude-devc/policy.conf";
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
    /** The resolver's query log, readable by every user. */
    public static final String DNS_LOG = "/var/log/claude-devc/dns.log";

    /**
     * The only commands the agent's user may run as root, each exactly (sudoers: {@code ""} means no arguments).
     * The Dockerfile writes these entries and refuses a base image that grants anything else.
     */
    public static final List<String> SUDO_COMMANDS = List.of(
            FIREWALL + " \"\"",     // apply: what the entrypoint runs at every start
            FIREWALL + " status");  // the live check: reading the kernel's tables needs root

    /** How a start waits for the firewall: returns once it is in force for this start, fails when it failed. */
    public static final String WAIT_COMMAND = FIREWALL + " wait";
    /** The live check as the user runs it (through the exact sudo entry). */
    public static final List<String> STATUS_COMMAND = List.of(FIREWALL, "status");

    private ImageLayout() {
    }
}
