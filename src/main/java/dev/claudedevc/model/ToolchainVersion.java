package dev.claudedevc.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A toolchain version requirement: the lowest version the project accepts, as 1 to 3 numbers ({@code 21},
 * {@code 3.12}, {@code 1.22.1}). Missing parts compare as 0, so {@code 3.12} is met by 3.12.0 and later.
 *
 * @param parts the numbers, major first
 */
public record ToolchainVersion(List<Integer> parts) implements Comparable<ToolchainVersion> {

    private static final Pattern SYNTAX = Pattern.compile("(0|[1-9][0-9]{0,3})(\\.(0|[1-9][0-9]{0,3})){0,2}");

    public ToolchainVersion {
        parts = List.copyOf(parts);
        if (parts.isEmpty() || parts.size() > 3) {
            throw new IllegalArgumentException("a version has 1 to 3 numbers");
        }
    }

    /** Parses {@code 21}, {@code 3.12} or {@code 1.22.1}; the exception's message is for the user. */
    public static ToolchainVersion parse(String text) {
        if (!SYNTAX.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a version (1 to 3 numbers such as 21, 3.12 or "
                    + "1.22.1)");
        }
        List<Integer> parts = new ArrayList<>();
        for (String part : text.split("\\.")) {
            parts.add(Integer.parseInt(part));
        }
        return new ToolchainVersion(parts);
    }

    public int major() {
        return parts.get(0);
    }

    /** The second number, 0 when not given. */
    public int minor() {
        return parts.size() > 1 ? parts.get(1) : 0;
    }

    /** The first {@code n} numbers (fewer when this version has fewer). */
    public ToolchainVersion prefix(int n) {
        return new ToolchainVersion(parts.subList(0, Math.min(n, parts.size())));
    }

    /** Whether a toolchain at this version meets {@code required}. */
    public boolean meets(ToolchainVersion required) {
        return compareTo(required) >= 0;
    }

    @Override
    public int compareTo(ToolchainVersion other) {
        for (int i = 0; i < 3; i++) {
            int a = i < parts.size() ? parts.get(i) : 0;
            int b = i < other.parts.size() ? other.parts.get(i) : 0;
            if (a != b) {
                return Integer.compare(a, b);
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return String.join(".", parts.stream().map(String::valueOf).toList());
    }
}
