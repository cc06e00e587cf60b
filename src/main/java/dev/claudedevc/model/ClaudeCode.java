package dev.claudedevc.model;

import java.util.Objects;

/**
 * How Claude Code gets into the image.
 *
 * @param install the method
 * @param version {@code latest}, {@code stable} or a version such as {@code 1.0.44}
 */
public record ClaudeCode(Install install, String version) {

    /** Installation methods. */
    public enum Install {
        /** Anthropic's native installer, run as the user. */
        NATIVE,
        /** {@code npm install -g @anthropic-ai/claude-code} with Debian's Node.js. */
        NPM,
        /** Not installed (bring your own). */
        NONE
    }

    public ClaudeCode {
        Objects.requireNonNull(install, "install");
        Objects.requireNonNull(version, "version");
    }
}
