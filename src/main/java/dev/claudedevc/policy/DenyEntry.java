package dev.claudedevc.policy;

import java.util.Objects;

/**
 * A name that is never resolved, and every name below it, whatever an allowed entry says (denied wins).
 *
 * @param host       the lower-case name ({@code *.x} in {@code deniedDomains} denies {@code x} and below too)
 * @param provenance where it came from
 */
public record DenyEntry(String host, Provenance provenance) implements PolicyEntry {

    public DenyEntry {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(provenance, "provenance");
    }

    /** Whether this entry covers the (lower-case) name. */
    boolean covers(String name) {
        return name.equals(host) || name.endsWith("." + host);
    }

    @Override
    public String spelling() {
        return host;
    }
}
