package dev.claudedevc.docker;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a command run in a container did.
 *
 * @param exitCode its exit code ({@code -1} if it timed out or the engine did not say)
 * @param output   stdout and stderr interleaved as they arrived, possibly truncated
 * @param timedOut whether it was still running when the timeout passed
 */
public record ExecResult(int exitCode, String output, boolean timedOut) {

    public ExecResult {
        Objects.requireNonNull(output, "output");
    }

    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /** The output's non-blank lines, trimmed. */
    public List<String> lines() {
        return Arrays.stream(output.split("\\R")).map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** The last non-blank line of output, or an empty string. */
    public String lastLine() {
        List<String> lines = lines();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
