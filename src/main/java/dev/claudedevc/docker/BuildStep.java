package dev.claudedevc.docker;

import java.util.Objects;

/**
 * One Dockerfile step as the engine reports it.
 *
 * @param number      1-based
 * @param total       the number of steps
 * @param instruction the instruction as the engine echoes it, e.g. {@code RUN apt-get update}
 */
public record BuildStep(int number, int total, String instruction) {

    public BuildStep {
        Objects.requireNonNull(instruction, "instruction");
    }

    @Override
    public String toString() {
        return "step " + number + "/" + total + ": " + instruction;
    }
}
