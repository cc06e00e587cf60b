package dev.claudedevc.docker;

import dev.claudedevc.ClaudeDevcException;
import java.util.List;
import java.util.Optional;

/**
 * An image build that failed: the one-line message names the failing Dockerfile step and the engine's reason;
 * {@link #lastLines()} holds the step's last output lines for the user to read.
 */
public final class BuildFailedException extends ClaudeDevcException {

    private static final long serialVersionUID = 1L;

    private final transient Optional<BuildStep> step;
    private final List<String> lastLines;

    public BuildFailedException(Optional<BuildStep> step, String reason, List<String> lastLines) {
        super(Kind.BUILD_FAILED, step.map(s -> "image build failed at step " + s.number() + "/" + s.total() + " ("
                + s.instruction() + "): " + reason).orElse("image build failed: " + reason));
        this.step = step;
        this.lastLines = List.copyOf(lastLines);
    }

    /** The step that failed, if the build got as far as one. */
    public Optional<BuildStep> step() {
        return step;
    }

    /** The failing step's last output lines, oldest first. */
    public List<String> lastLines() {
        return lastLines;
    }
}
