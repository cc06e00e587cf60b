package dev.claudedevc.model;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The folder, relative to the project, that claude-devc renders into (the descriptor's {@code output}). The one
 * home of its default and of its syntax: plain relative segments, never absolute, never {@code .} or {@code ..},
 * never inside {@code .git}, so the path is safe in JSON and Dockerfile context as it is.
 *
 * <p>The Dev Container specification finds a configuration at {@code .devcontainer/devcontainer.json} or, as a
 * named configuration the IDE offers in a picker, at {@code .devcontainer/NAME/devcontainer.json}. A project that
 * has its own {@code .devcontainer/} gets {@link #NESTED}; claude-devc never writes into the project's own files.
 *
 * @param path the folder, {@code /}-separated, relative to the project folder
 */
public record OutputFolder(String path) {

    private static final String NESTED_PATH = ".devcontainer/claude";
    // Before the constants below: constructing them runs the checks.
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}");
    private static final int MAX_SEGMENTS = 8;

    /** The default: the folder the IDE looks in first. */
    public static final OutputFolder DEFAULT = new OutputFolder(".devcontainer");
    /** Beside a project's own dev container configuration: a named configuration. */
    public static final OutputFolder NESTED = new OutputFolder(NESTED_PATH);


    public OutputFolder {
        Objects.requireNonNull(path, "path");
        String problem = problem(path);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Parses the descriptor's value; the exception's message is the reason, for the user. */
    public static OutputFolder parse(String text) {
        return new OutputFolder(text.endsWith("/") && text.length() > 1 ? text.substring(0, text.length() - 1) : text);
    }

    private static String problem(String path) {
        if (path.isEmpty()) {
            return "is empty (give a folder relative to the project, e.g. " + NESTED_PATH + ")";
        }
        if (path.startsWith("/") || path.startsWith("~") || path.matches("[A-Za-z]:.*")) {
            return "'" + path + "' is absolute; give a folder relative to the project, e.g. " + NESTED_PATH;
        }
        String[] segments = path.split("/", -1);
        if (segments.length > MAX_SEGMENTS) {
            return "'" + path + "' is deeper than " + MAX_SEGMENTS + " folders";
        }
        for (String segment : segments) {
            if (segment.equals("..")) {
                return "'" + path + "' leaves the project ('..'); give a folder inside it";
            }
            if (segment.equals(".") || segment.isEmpty()) {
                return "'" + path + "' must be a plain relative folder (no '.', no empty segment), e.g. "
                        + NESTED_PATH + " (the project folder itself is not allowed)";
            }
            if (!SEGMENT.matcher(segment).matches()) {
                return "'" + path + "' is not a plain folder path (letters, digits, _ . - and / between segments)";
            }
        }
        if (segments[0].equals(".git")) {
            return "'" + path + "' is inside .git";
        }
        return null;
    }

    /** The folder inside {@code projectDir}. */
    public Path in(Path projectDir) {
        return projectDir.resolve(path);
    }

    /** A file in this folder as a project-relative path ({@code .devcontainer/claude/Dockerfile}). */
    public String file(String name) {
        return path + "/" + name;
    }

    /** Whether the Dev Containers tools find it without being told ({@code --config}). */
    public boolean discoverable() {
        String[] segments = path.split("/");
        return segments[0].equals(".devcontainer") && segments.length <= 2;
    }

    @Override
    public String toString() {
        return path;
    }
}
