package dev.claudedevc.descriptor;

import dev.claudedevc.ClaudeDevcException;
import java.nio.file.Path;

/** Helpers for located, one-line error messages. */
final class Located {

    private Located() {
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

        ClaudeDevcException error(int line, int column, String keyPath, String reason) {
            String where = display(file) + ":" + line + ":" + column + ": ";
            String key = keyPath.isEmpty() ? "" : keyPath + ": ";
            return new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR, where + key + reason);
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
