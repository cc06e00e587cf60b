package dev.claudedevc.descriptor;

import dev.claudedevc.ClaudeDevcException;
import java.nio.file.Path;

/** Helpers for located, one-line error messages. */
final class Located {

    private Located() {
    }

    /** The text with control characters as backslash-u escapes, so that a message stays on one line. */
    static String escapeControls(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Fields.isControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** {@code parent.key}, or {@code key} at the top. */
    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /**
     * The file being read, for messages.
     *
     * @param file   the file as the user knows it
     * @param format "YAML" or "JSON"
     */
    record Source(Path file, String format) {

        /** The located message; control characters in the key path or reason are shown as escapes. */
        ClaudeDevcException error(int line, int column, String keyPath, String reason) {
            String where = display(file) + ":" + line + ":" + column + ": ";
            String key = keyPath.isEmpty() ? "" : escapeControls(keyPath) + ": ";
            return new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR,
                    where + key + escapeControls(reason));
        }

        ClaudeDevcException error(Node at, String keyPath, String reason) {
            return error(at.line(), at.column(), keyPath, reason);
        }

        /** The path relative to the working directory when it lies below it, else as given. */
        static String display(Path file) {
            Path cwd = Path.of("").toAbsolutePath();
            Path absolute = file.toAbsolutePath().normalize();
            return absolute.startsWith(cwd) && !absolute.equals(cwd) ? cwd.relativize(absolute).toString()
                    : absolute.toString();
        }
    }
}
