package dev.claudedevc.model;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One entry of {@code allowedDomains}/{@code deniedDomains}: an exact host, {@code *.suffix} (strictly below the
 * suffix, not the suffix itself), an IPv4 literal or an IPv6 literal, with an optional port.
 *
 * @param kind what {@link #value()} is
 * @param value the lower-case host or suffix (without {@code *.}), or the canonical IP literal (no brackets)
 * @param port the port, if the entry named one
 */
public record DomainRule(Kind kind, String value, OptionalInt port) {

    /** The shapes an entry can take. */
    public enum Kind { EXACT, SUBDOMAINS, IPV4, IPV6 }

    public DomainRule {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(port, "port");
    }

    public boolean isName() {
        return kind == Kind.EXACT || kind == Kind.SUBDOMAINS;
    }

    /** The entry in the descriptor's grammar, e.g. {@code *.example.com:8443} or {@code [fd00::1]:443}. */
    @Override
    public String toString() {
        String host = switch (kind) {
            case EXACT, IPV4 -> value;
            case SUBDOMAINS -> "*." + value;
            case IPV6 -> port.isPresent() ? "[" + value + "]" : value;
        };
        return port.isPresent() ? host + ":" + port.getAsInt() : host;
    }
}
