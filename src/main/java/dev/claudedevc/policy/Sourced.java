package dev.claudedevc.policy;

import java.util.Objects;

/**
 * A value of the policy that is not an allowlist entry (a host port, a self-test target) with where it came from,
 * so that everything compiled from the policy can say which descriptor key it stands for.
 *
 * @param value      the value
 * @param provenance where it came from
 */
public record Sourced<T>(T value, Provenance provenance) {

    public Sourced {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(provenance, "provenance");
    }
}
