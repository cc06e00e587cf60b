package dev.claudedevc.policy;

import dev.claudedevc.model.Cidr;
import java.util.Objects;

/**
 * An internal range that DNS answers for allowed names may open ({@code network.privateAnswers}); any other
 * private, loopback or link-local answer stays unreachable (the DNS rebinding guard).
 *
 * @param range      the range
 * @param provenance where it came from
 */
public record PrivateAnswer(Cidr range, Provenance provenance) {

    public PrivateAnswer {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(provenance, "provenance");
    }
}
