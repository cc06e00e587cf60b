package dev.claudedevc.policy;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One allowed destination of the effective policy.
 *
 * @param match        how {@code value} matches a destination
 * @param value        the lower-case host ({@link Match#EXACT}), the suffix without {@code *.}
 *                     ({@link Match#SUBDOMAINS}), or a canonical CIDR ({@link Match#NET}; an IP entry is a /32 or /128)
 * @param ports        the TCP ports it opens: the one it names, else the policy's {@code network.ports} in order
 * @param explicitPort whether the entry named its port
 * @param provenance   where it came from
 */
public record AllowEntry(Match match, String value, List<Integer> ports, boolean explicitPort, Provenance provenance)
        implements PolicyEntry {

    /** The shapes of an allowed destination. */
    public enum Match {
        /** Exactly this name. */
        EXACT,
        /** Every name strictly below the suffix (not the suffix itself). */
        SUBDOMAINS,
        /** Every address in the range. */
        NET
    }

    public AllowEntry {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(value, "value");
        ports = List.copyOf(ports);
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("an allowed entry opens at least one port");
        }
        for (int port : ports) {
            // DNS stays the container resolver's alone: no entry can open it (the reader refuses it earlier).
            if (port < 1 || port > 65535 || port == 53 || port == 853) {
                throw new IllegalArgumentException("an allowed entry cannot open port " + port);
            }
        }
        Objects.requireNonNull(provenance, "provenance");
    }

    public boolean isName() {
        return match != Match.NET;
    }

    /** {@code 443,80}: the ports as the firewall's port groups spell them. */
    public String portList() {
        return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** Whether the entry covers this (lower-case) name; a range covers no name. */
    boolean coversName(String name) {
        return switch (match) {
            case EXACT -> value.equals(name);
            case SUBDOMAINS -> name.endsWith("." + value);
            case NET -> false;
        };
    }

    @Override
    public String spelling() {
        String host = match == Match.SUBDOMAINS ? "*." + value : value;
        if (!explicitPort) {
            return host;
        }
        if (match != Match.NET) {
            return host + ":" + ports.get(0);
        }
        // Only an IP entry names a port (a CIDR entry cannot): written as the address it was.
        String address = value.substring(0, value.indexOf('/'));
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + ports.get(0);
    }
}
