package dev.claudedevc.model;

/** Where the firewall's files live inside every generated image (firewall/README.md, "Runtime layout"). */
public final class ImageLayout {

    /** The firewall script, root-owned 0755; the user may run it through sudo with no arguments. */
    public static final String FIREWALL = "/usr/local/sbin/claude-devc-firewall";
    /** The rendered policy, root-owned 0644. */
    public static final String POLICY = "/etc/claude-devc/policy.conf";
    /** The resolver's query log, readable by every user. */
    public static final String DNS_LOG = "/var/log/claude-devc/dns.log";

    private ImageLayout() {
    }
}
