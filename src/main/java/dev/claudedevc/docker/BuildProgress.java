package dev.claudedevc.docker;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the engine's build stream into steps and output lines. Understands Docker's classic builder
 * ({@code Step 2/7 : RUN …}, {@code  ---> 1a2b3c}) and Podman's ({@code STEP 2/7: RUN …}, {@code --> 1a2b3c}).
 * Keeps the current step's last {@value #TAIL} output lines for a failure report. Not thread-safe: fed in order
 * from the engine's callback thread.
 */
final class BuildProgress {

    static final int TAIL = 20;

    private static final Pattern STEP = Pattern.compile("^(?:Step|STEP) (\\d+)/(\\d+) ?: ?(.*)$");
    private static final Pattern MARKER = Pattern.compile(
            "^\\s*-{2,3}> .*|^Removing intermediate container .*|^Successfully (?:built|tagged) .*|^COMMIT.*$");

    private final BuildListener listener;
    private final StringBuilder partial = new StringBuilder();
    private final Deque<String> tail = new ArrayDeque<>();
    private Optional<BuildStep> step = Optional.empty();
    private Optional<String> error = Optional.empty();

    BuildProgress(BuildListener listener) {
        this.listener = listener;
    }

    /** Feeds a chunk of the build stream (may hold part of a line or several lines). */
    void accept(String chunk) {
        partial.append(chunk);
        int newline;
        while ((newline = partial.indexOf("\n")) >= 0) {
            line(partial.substring(0, newline));
            partial.delete(0, newline + 1);
        }
    }

    /** Records the engine's error for the current step. */
    void error(String message) {
        flush();
        error = Optional.of(oneLine(message));
    }

    /** Ends the stream: a last line without a newline is still a line. */
    void flush() {
        if (partial.length() > 0) {
            line(partial.toString());
            partial.setLength(0);
        }
    }

    Optional<BuildStep> step() {
        return step;
    }

    Optional<String> error() {
        return error;
    }

    List<String> tail() {
        return List.copyOf(tail);
    }

    private void line(String raw) {
        String line = stripControl(raw).stripTrailing();
        Matcher m = STEP.matcher(line);
        if (m.matches()) {
            BuildStep next = new BuildStep(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    m.group(3).strip());
            step = Optional.of(next);
            tail.clear();
            listener.step(next);
            return;
        }
        if (line.isBlank() || MARKER.matcher(line).matches()) {
            return;
        }
        if (tail.size() == TAIL) {
            tail.removeFirst();
        }
        tail.addLast(line);
        listener.output(line);
    }

    /** Drops terminal escapes and carriage-return progress redraws (keeps what was drawn last). */
    static String stripControl(String line) {
        String text = line.replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "");
        int cr = text.lastIndexOf('\r');
        if (cr >= 0 && cr < text.length() - 1) {
            text = text.substring(cr + 1);
        }
        return text.replace("\r", "").replaceAll("[\\p{Cntrl}&&[^\t]]", "");
    }

    static String oneLine(String message) {
        return message == null ? "unknown error" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
