package dev.claudedevc.verify;

import java.util.Objects;

/**
 * What a probe saw.
 *
 * @param reached whether the probe got through: connected, resolved, got an answer, ran with privilege
 * @param text    what happened, in a few words, e.g. {@code refused} or {@code answered 172.18.0.2}
 */
public record Observation(boolean reached, String text) {

    public Observation {
        Objects.requireNonNull(text, "text");
    }
}
