package dev.claudedevc.docker;

/** Receives an image build's progress as it streams. Called on the engine's callback thread, in order. */
public interface BuildListener {

    /** A new Dockerfile step started. */
    void step(BuildStep step);

    /** A line of output of the current step (the engine's markers such as {@code ---> abc} excluded). */
    default void output(String line) {
    }

    /** Ignores everything. */
    static BuildListener quiet() {
        return step -> {
        };
    }
}
