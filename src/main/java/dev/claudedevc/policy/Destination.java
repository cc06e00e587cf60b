package dev.claudedevc.policy;

import dev.claudedevc.descriptor.Fields;
import dev.claudedevc.descriptor.Syntax;
import dev.claudedevc.model.Endpoint;

/**
 * What {@code check} asks about: {@code HOST[:PORT]}, a host name, an IPv4 literal or an IPv6 literal (bracketed
 * when it has a port), the port 443 unless given. Unlike an allowlist entry, any port may be asked about (53 too:
 * the answer is that only the container's resolver may use it), but never a pattern.
 */
public final class Destination {

    /** The port asked about when none is given: what most of the allowlist is for. */
    public static final int DEFAULT_PORT = 443;

    private Destination() {
    }

    /**
     * @return the host (lower-case name, or canonical IP literal without brackets) and port
     * @throws IllegalArgumentException with a message for a person when the text is not one destination
     */
    public static Endpoint parse(String text) {
        if (text.isEmpty() || text.length() > 300 || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("'" + Fields.printableText(text) + "' is not HOST[:PORT] (a host name or IP"
                    + " address, printable ASCII, at most 300 characters)");
        }
        if (text.contains("*")) {
            throw new IllegalArgumentException("'" + text + "': check takes one host, not a pattern (try a name"
                    + " below it, e.g. " + text.replace("*", "a") + ")");
        }
        String host = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "': missing ']' after the IPv6 address");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("'" + text + "': expected ':PORT' after ']'");
                }
                port = rest.substring(1);
            }
            return new Endpoint(Syntax.ipv6(host), port == null ? DEFAULT_PORT : port(port, text));
        }
        if (text.indexOf(':') != text.lastIndexOf(':')) {
            return new Endpoint(Syntax.ipv6(text), DEFAULT_PORT);
        }
        int colon = text.indexOf(':');
        if (colon >= 0) {
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        int p = port == null ? DEFAULT_PORT : port(port, text);
        if (host.matches("[0-9.]+")) {
            return new Endpoint(Syntax.ipv4(host), p);
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return new Endpoint(Syntax.hostName(name), p);
    }

    private static int port(String text, String whole) {
        try {
            return Syntax.port(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + whole + "': " + e.getMessage());
        }
    }
}
