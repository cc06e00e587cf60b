package dev.claudedevc.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * What the effective policy does with one destination, and why.
 *
 * @param verdict what happens
 * @param entry   the entry that decided: the allowing entry; the denied name; for {@link Verdict#PORT_NOT_ALLOWED}
 *                the entry that allows the host on other ports; none when no entry covers the host
 * @param reason  one line for a person
 */
public record Decision(Verdict verdict, Optional<PolicyEntry> entry, String reason) {

    /** The outcomes. */
    public enum Verdict {
        /** An entry allows the host (on the port, when one was asked). */
        ALLOWED,
        /** A {@code deniedDomains} entry covers the name: never resolved, whatever allows it. */
        DENIED_NAME,
        /** Entries allow the host, but not on this port. */
        PORT_NOT_ALLOWED,
        /** No entry covers the host. */
        NOT_LISTED
    }

    public Decision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(reason, "reason");
        if ((verdict == Verdict.ALLOWED || verdict == Verdict.PORT_NOT_ALLOWED)
                != entry.filter(e -> e instanceof AllowEntry).isPresent()
                || (verdict == Verdict.DENIED_NAME) != entry.filter(e -> e instanceof DenyEntry).isPresent()) {
            throw new IllegalArgumentException(verdict + " does not go with " + entry);
        }
    }

    public boolean allowed() {
        return verdict == Verdict.ALLOWED;
    }
}
