package dev.claudedevc.descriptor;

import dev.claudedevc.model.Cidr;
import dev.claudedevc.model.DomainRule;
import dev.claudedevc.model.Endpoint;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tight patterns every descriptor value must match before it may reach shell, Dockerfile or JSON context.
 * Each parser returns a canonical value or throws {@link IllegalArgumentException} whose message is the reason,
 * written for the user.
 */
public final class Syntax {

    public static final Pattern PROJECT_NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    public static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    /** Docker image reference: [registry[:port]/]path[:tag][@sha256:digest]. */
    public static final Pattern IMAGE = Pattern.compile(
            "(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?/)?"
                    + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");
    /** Debian package name, optionally pinned: {@code name} or {@code name=version}. */
    public static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]{1,62}(?:=[A-Za-z0-9.+~:-]{1,64})?");
    public static final Pattern TIMEZONE = Pattern.compile("[A-Za-z][A-Za-z0-9_+-]{0,30}(?:/[A-Za-z0-9_+-]{1,30}){0,2}");
    public static final Pattern CLAUDE_VERSION = Pattern.compile("latest|stable|[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,6}");
    public static final Pattern EXTENSION = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9-]{0,63}\\.[A-Za-z0-9][A-Za-z0-9-]{0,63}(?:@[0-9]+\\.[0-9]+\\.[0-9]+)?");
    public static final Pattern SETTING_KEY = Pattern.compile("[A-Za-z0-9_.\\[\\]@/-]{1,128}");
    public static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    /**
     * An environment value: plain characters, plus dev-container substitutions such as {@code ${localEnv:HOME}}.
     * No quotes, backslashes, backticks, {@code $(}, {@code ;&|<>} or control characters.
     */
    public static final Pattern ENV_VALUE = Pattern.compile(
            "(?:[A-Za-z0-9 _./:@%+=,~-]|\\$\\{(?:localEnv|containerEnv):[A-Za-z_][A-Za-z0-9_]*\\}"
                    + "|\\$\\{(?:localWorkspaceFolder|containerWorkspaceFolder|localWorkspaceFolderBasename"
                    + "|containerWorkspaceFolderBasename|devcontainerId)\\})*");
    public static final Pattern PROXY_URL = Pattern.compile(
            "https?://[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?/?");
    public static final Pattern NO_PROXY = Pattern.compile("\\.?[a-z0-9](?:[a-z0-9.:-]*[a-z0-9])?(?:/[0-9]{1,3})?");
    public static final Pattern CERT_PATH = Pattern.compile("(?:[A-Za-z0-9_][A-Za-z0-9_.-]*/)*[A-Za-z0-9_][A-Za-z0-9_.-]*\\.(?:crt|pem)");
    /**
     * A workspace-relative path or gitignore-style pattern naming files Claude Code must not read (a secret):
     * {@code .env}, {@code secrets/**}, {@code config/*.key}. No leading {@code /} or {@code ~}, no {@code ..}.
     */
    public static final Pattern SECRET_PATH = Pattern.compile(
            "(?!.*(?:^|/)\\.\\.(?:/|$))[A-Za-z0-9_.*?-][A-Za-z0-9_.*?-]*(?:/[A-Za-z0-9_.*?-]+)*");
    /** A Claude Code settings key (its own keys are camelCase words). */
    public static final Pattern CLAUDE_SETTING_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");
    /** A relative workspace path: segments of safe characters, none of them {@code .} or {@code ..}; optional trailing /. */
    public static final Pattern WORKSPACE_PATH = Pattern.compile(
            "(?!\\.{1,2}(?:/|$))[A-Za-z0-9_.][A-Za-z0-9_.-]{0,127}(?:/(?!\\.{1,2}(?:/|$))[A-Za-z0-9_.][A-Za-z0-9_.-]{0,127}){0,15}/?");
    public static final Pattern PRESET_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("(?:0|[1-9][0-9]{0,2})(?:\\.(?:0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:]{2,39}");

    /** Second-level labels that, under a two-letter country code, form a public suffix ({@code co.uk}). */
    private static final Set<String> COUNTRY_SECOND_LEVEL = Set.of(
            "ac", "co", "com", "edu", "gob", "go", "gov", "gv", "lg", "ltd", "mil", "ne", "net", "nic", "nom", "or",
            "org", "plc", "sch");
    /**
     * Suffixes under which anyone can get a name: a wildcard over one allows anybody's server, so it is refused.
     */
    private static final Set<String> SHARED_SUFFIXES = Set.of(
            "amazonaws.com", "appspot.com", "azurewebsites.net", "blogspot.com", "cloudfront.net", "fly.dev",
            "firebaseapp.com", "github.io", "gitlab.io", "glitch.me", "herokuapp.com", "netlify.app",
            "ngrok-free.app", "ngrok.io", "onrender.com", "pages.dev", "r2.dev", "repl.co", "trycloudflare.com",
            "vercel.app", "web.app", "workers.dev",
            // Object stores whose bucket names are public: a wildcard below them reaches anyone's bucket.
            "blob.core.windows.net", "s3.amazonaws.com", "storage.googleapis.com", "digitaloceanspaces.com");

    /** Regional S3 endpoints ({@code s3.eu-west-1.amazonaws.com}, {@code s3-eu-west-1.amazonaws.com}). */
    private static final Pattern S3_ENDPOINT = Pattern.compile("s3[.-][a-z0-9.-]*amazonaws\\.com");

    private Syntax() {
    }

    /**
     * A DNS host name: lower-cased, at least two labels, no trailing dot, top-level label not numeric.
     */
    public static String hostName(String text) {
        String host = text.toLowerCase(Locale.ROOT);
        if (host.isEmpty() || host.length() > 253) {
            throw new IllegalArgumentException("'" + text + "' is not a host name (1 to 253 characters)");
        }
        String[] labels = host.split("\\.", -1);
        if (labels.length < 2) {
            throw new IllegalArgumentException("'" + text + "' is not a fully qualified host name (needs a dot)");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a host name: label '" + label
                        + "' must be letters, digits and inner hyphens, at most 63 characters");
            }
        }
        if (!Character.isLetter(labels[labels.length - 1].charAt(0))) {
            throw new IllegalArgumentException("'" + text + "' is not a host name (the top-level label must start"
                    + " with a letter)");
        }
        return host;
    }

    /** An entry of allowedDomains/deniedDomains, in Claude Code's sandbox grammar. */
    public static DomainRule domainRule(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty entry");
        }
        String hostPart = text;
        OptionalInt port = OptionalInt.empty();
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "': missing ']' after the IPv6 address");
            }
            hostPart = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("'" + text + "': expected ':port' after ']'");
                }
                port = OptionalInt.of(allowedPort(port(rest.substring(1))));
            }
            return new DomainRule(DomainRule.Kind.IPV6, ipv6(hostPart), port);
        }
        if (text.indexOf(':') != text.lastIndexOf(':')) {
            return new DomainRule(DomainRule.Kind.IPV6, ipv6(text), OptionalInt.empty());
        }
        int colon = text.indexOf(':');
        if (colon >= 0) {
            hostPart = text.substring(0, colon);
            port = OptionalInt.of(allowedPort(port(text.substring(colon + 1))));
        }
        if (IPV4.matcher(hostPart).matches()) {
            return new DomainRule(DomainRule.Kind.IPV4, ipv4(hostPart), port);
        }
        if (hostPart.startsWith("*.")) {
            String suffix = wildcardSuffix(hostPart.substring(2), text);
            return new DomainRule(DomainRule.Kind.SUBDOMAINS, suffix, port);
        }
        if (hostPart.contains("*")) {
            throw new IllegalArgumentException("'" + text + "': a wildcard is only allowed as a leading '*.'");
        }
        return new DomainRule(DomainRule.Kind.EXACT, hostName(hostPart), port);
    }

    private static String wildcardSuffix(String suffixText, String whole) {
        if (suffixText.contains("*")) {
            throw new IllegalArgumentException("'" + whole + "': a wildcard is only allowed as a leading '*.'");
        }
        if (suffixText.indexOf('.') < 0) {
            throw new IllegalArgumentException("'" + whole + "' is too broad: it covers a whole top-level domain");
        }
        String suffix = hostName(suffixText);
        String[] labels = suffix.split("\\.");
        if (labels.length == 2 && labels[1].length() == 2 && COUNTRY_SECOND_LEVEL.contains(labels[0])) {
            throw new IllegalArgumentException("'" + whole + "' is too broad: '" + suffix + "' is a public suffix");
        }
        if (SHARED_SUFFIXES.contains(suffix) || S3_ENDPOINT.matcher(suffix).matches()) {
            throw new IllegalArgumentException("'" + whole + "' is too broad: anyone can host a name under '"
                    + suffix + "'; list the exact hosts you need");
        }
        return suffix;
    }

    /** A TCP port, 1..65535, written in decimal. */
    public static int port(String text) {
        if (!text.matches("[1-9][0-9]{0,4}") || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("'" + text + "' is not a port (1 to 65535)");
        }
        return Integer.parseInt(text);
    }

    /**
     * A port an allowlist entry may open: not DNS (53) or DNS over TLS (853), which only the container's own
     * resolver may use; allowing them would reopen DNS tunnelling.
     */
    public static int allowedPort(int port) {
        if (port == 53 || port == 853) {
            throw new IllegalArgumentException("port " + port + " is DNS" + (port == 853 ? " over TLS" : "")
                    + ": only the container's own resolver may use it, so it cannot be allowed");
        }
        return port;
    }

    /** A dotted-quad IPv4 address in canonical form. */
    public static String ipv4(String text) {
        if (!IPV4.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        for (String octet : text.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (octet over 255)");
            }
        }
        return text;
    }

    /** An IPv6 address (no zone, no embedded IPv4) in RFC 5952 canonical form. */
    public static String ipv6(String text) {
        return formatIpv6(parseIpv6(text));
    }

    private static int[] parseIpv6(String text) {
        if (!IPV6_CHARS.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address");
        }
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address ('::' twice)");
        }
        String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
        String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
        String[] headGroups = head.isEmpty() ? new String[0] : head.split(":", -1);
        String[] tailGroups = tail.isEmpty() ? new String[0] : tail.split(":", -1);
        int total = headGroups.length + tailGroups.length;
        if (doubleColon < 0 ? total != 8 : total > 7) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address (wrong number of groups)");
        }
        int[] groups = new int[8];
        for (int i = 0; i < headGroups.length; i++) {
            groups[i] = group(headGroups[i], text);
        }
        for (int i = 0; i < tailGroups.length; i++) {
            groups[8 - tailGroups.length + i] = group(tailGroups[i], text);
        }
        return groups;
    }

    private static int group(String group, String whole) {
        if (group.isEmpty() || group.length() > 4) {
            throw new IllegalArgumentException("'" + whole + "' is not an IPv6 address");
        }
        return Integer.parseInt(group, 16);
    }

    private static String formatIpv6(int[] groups) {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /**
     * An address range {@code address/prefix}. Host bits must be zero; a range wider than a /8 (IPv4) or /16
     * (IPv6) is refused as too broad to be an allowlist entry.
     */
    public static Cidr cidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR (expected address/prefix)");
        }
        String address = text.substring(0, slash);
        String prefixText = text.substring(slash + 1);
        if (!prefixText.matches("[0-9]{1,3}")) {
            throw new IllegalArgumentException("'" + text + "': prefix length must be a number");
        }
        int prefix = Integer.parseInt(prefixText);
        boolean v6 = address.indexOf(':') >= 0;
        if (prefix > (v6 ? 128 : 32)) {
            throw new IllegalArgumentException("'" + text + "': prefix length over " + (v6 ? 128 : 32));
        }
        if (prefix < (v6 ? 16 : 8)) {
            throw new IllegalArgumentException("'" + text + "' is too broad for an allowlist (at most /"
                    + (v6 ? 16 : 8) + ")");
        }
        if (v6) {
            int[] groups = parseIpv6(address);
            for (int bit = prefix; bit < 128; bit++) {
                if ((groups[bit / 16] >> (15 - bit % 16) & 1) != 0) {
                    throw new IllegalArgumentException("'" + text + "' has host bits set after /" + prefix);
                }
            }
            return new Cidr(formatIpv6(groups), prefix, true);
        }
        String[] octets = ipv4(address).split("\\.");
        long value = 0;
        for (String octet : octets) {
            value = value << 8 | Integer.parseInt(octet);
        }
        long hostMask = prefix == 32 ? 0 : (1L << (32 - prefix)) - 1;
        if ((value & hostMask) != 0) {
            long network = value & ~hostMask & 0xffffffffL;
            throw new IllegalArgumentException("'" + text + "' has host bits set; did you mean "
                    + (network >> 24 & 255) + "." + (network >> 16 & 255) + "." + (network >> 8 & 255) + "."
                    + (network & 255) + "/" + prefix + "?");
        }
        return new Cidr(address, prefix, false);
    }

    /**
     * A proxy URL {@code http[s]://host[:port][/]}: the host a name or IPv4 address the firewall can allow, the
     * port 1..65535.
     */
    public static String proxyUrl(String text) {
        if (!PROXY_URL.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a proxy URL such as http://proxy.corp.example:3128");
        }
        String hostPort = text.substring(text.indexOf("://") + 3);
        hostPort = hostPort.endsWith("/") ? hostPort.substring(0, hostPort.length() - 1) : hostPort;
        try {
            domainRule(hostPort);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("proxy URL '" + text + "': " + e.getMessage(), e);
        }
        return text;
    }

    /** A verification target {@code host[:port]} (host a name, IPv4, or bracketed IPv6). */
    public static Endpoint endpoint(String text, int defaultPort) {
        DomainRule rule = domainRule(text);
        if (rule.kind() == DomainRule.Kind.SUBDOMAINS) {
            throw new IllegalArgumentException("'" + text + "': a verification target must be one host, not a wildcard");
        }
        return new Endpoint(rule.value(), rule.port().orElse(defaultPort));
    }
}
