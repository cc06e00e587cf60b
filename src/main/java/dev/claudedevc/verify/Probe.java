package dev.claudedevc.verify;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the verification matrix.
 *
 * @param id            a stable identifier, e.g. {@code direct-ipv4} (for JSON, JUnit and scripts)
 * @param name          what is probed, for people, e.g. {@code direct IPv4 172.18.0.2:443}
 * @param check         how the command's result is read
 * @param mustReach     true if the probe must get through, false if it must be stopped
 * @param command       the command, run as the non-root user in the verified container
 * @param baseline      whether the command must get through before the firewall is applied (so that "blocked"
 *                      afterwards proves the firewall, not a missing listener)
 * @param notApplicable why the probe cannot run here, if it cannot
 */
public record Probe(String id, String name, Check check, boolean mustReach, List<String> command, boolean baseline,
        Optional<String> notApplicable) {

    public Probe {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        command = List.copyOf(command);
        Objects.requireNonNull(notApplicable, "notApplicable");
    }

    /** What the table shows as expected. */
    public String expected() {
        return check.expected(mustReach);
    }

    /** The same probe, marked as not applicable. */
    Probe skipped(String reason) {
        return new Probe(id, name, check, mustReach, command, baseline, Optional.of(reason));
    }
}
