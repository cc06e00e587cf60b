package dev.claudedevc.verify;

import java.time.Duration;
import java.util.Objects;

/**
 * A probe's outcome.
 *
 * @param id       the probe's id
 * @param name     what was probed
 * @param expected what had to happen
 * @param observed what happened
 * @param status   the verdict
 * @param output   the command's output when it helps to read it (a failure), else empty
 * @param duration how long the probe took
 */
public record ProbeResult(String id, String name, String expected, String observed, ProbeStatus status,
        String output, Duration duration) {

    public ProbeResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(observed, "observed");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(duration, "duration");
    }

    static ProbeResult skipped(Probe probe) {
        return new ProbeResult(probe.id(), probe.name(), probe.expected(),
                "n/a: " + probe.notApplicable().orElse("not applicable"), ProbeStatus.SKIP, "", Duration.ZERO);
    }
}
