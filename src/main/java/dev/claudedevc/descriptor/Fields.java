package dev.claudedevc.descriptor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A validated view of one mapping: typed getters that fail with a located message naming the key path.
 * Unknown keys are refused when the view is made.
 */
final class Fields {

    private final Located.Source source;
    private final Node.MapNode map;
    private final String path;

    private Fields(Located.Source source, Node.MapNode map, String path) {
        this.source = source;
        this.map = map;
        this.path = path;
    }

    /** A view of {@code node}, which must be a mapping whose keys are all in {@code allowed}. */
    static Fields of(Located.Source source, Node node, String path, Collection<String> allowed) {
        if (!(node instanceof Node.MapNode map)) {
            throw source.error(node, path, "expected a mapping, got " + node.typeName());
        }
        for (Map.Entry<String, Node.Entry> e : map.entries().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw source.error(e.getValue().keyLine(), e.getValue().keyColumn(), Located.child(path, e.getKey()),
                        "unknown key" + suggestion(e.getKey(), allowed) + " (allowed: " + String.join(", ", allowed)
                                + ")");
            }
        }
        return new Fields(source, map, path);
    }

    Located.Source source() {
        return source;
    }

    String path(String key) {
        return Located.child(path, key);
    }

    Node.MapNode node() {
        return map;
    }

    Optional<Node> node(String key) {
        return Optional.ofNullable(map.entries().get(key)).map(Node.Entry::value)
                .filter(n -> !(n instanceof Node.Scalar s && s.value() == null));
    }

    Optional<Fields> section(String key, Collection<String> allowed) {
        return node(key).map(n -> of(source, n, path(key), allowed));
    }

    /** A string matching {@code pattern}, described as {@code what} in messages. */
    Optional<String> string(String key, Pattern pattern, String what) {
        return node(key).map(n -> checkedString(n, path(key), pattern, what));
    }

    /** A string parsed by {@code parser}, whose IllegalArgumentException messages become located errors. */
    <T> Optional<T> parsed(String key, Function<String, T> parser) {
        return node(key).map(n -> parse(n, path(key), parser));
    }

    <E extends Enum<E>> Optional<E> enumValue(String key, Class<E> type) {
        return node(key).map(n -> {
            String text = string(n, path(key));
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(text)) {
                    return constant;
                }
            }
            List<String> names = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                names.add(constant.name().toLowerCase(java.util.Locale.ROOT));
            }
            throw source.error(n, path(key), "'" + text + "' is not one of " + String.join(", ", names));
        });
    }

    /** A boolean ({@code true}/{@code false}, not a string). */
    Optional<Boolean> bool(String key) {
        return node(key).map(n -> {
            if (n instanceof Node.Scalar s && s.value() instanceof Boolean b) {
                return b;
            }
            throw source.error(n, path(key), "expected true or false, got " + n.typeName());
        });
    }

    /** A list whose items each become a value through {@code item}, which gets the item and its path. */
    <T> List<T> list(String key, ItemReader<T> item) {
        Optional<Node> node = node(key);
        if (node.isEmpty()) {
            return List.of();
        }
        if (!(node.get() instanceof Node.ListNode list)) {
            throw source.error(node.get(), path(key), "expected a list, got " + node.get().typeName());
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            out.add(item.read(list.items().get(i), path(key) + "[" + i + "]"));
        }
        return out;
    }

    /** Reads one item of a list. */
    @FunctionalInterface
    interface ItemReader<T> {
        T read(Node node, String path);
    }

    String string(Node node, String at) {
        if (!(node instanceof Node.Scalar scalar) || !(scalar.value() instanceof String text)) {
            throw source.error(node, at, "expected a string, got " + node.typeName());
        }
        return text;
    }

    String checkedString(Node node, String at, Pattern pattern, String what) {
        String text = string(node, at);
        if (text.length() > 1024 || !pattern.matcher(text).matches()) {
            throw source.error(node, at, "'" + printable(text) + "' is not " + what);
        }
        return text;
    }

    <T> T parse(Node node, String at, Function<String, T> parser) {
        String text = string(node, at);
        if (text.length() > 1024 || hasControl(text)) {
            throw source.error(node, at, "'" + printable(text) + "' contains control characters or is too long");
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw source.error(node, at, e.getMessage());
        }
    }

    int port(Node node, String at) {
        if (node instanceof Node.Scalar scalar && scalar.value() instanceof Long value && value >= 1
                && value <= 65535) {
            try {
                return Syntax.allowedPort(value.intValue());
            } catch (IllegalArgumentException e) {
                throw source.error(node, at, e.getMessage());
            }
        }
        throw source.error(node, at, "expected a port number 1 to 65535, got " + describe(node));
    }

    static boolean hasControl(String text) {
        return text.chars().anyMatch(Fields::isControl);
    }

    /** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
    static boolean isControl(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
    }

    /** The text with control characters shown as escapes, so a message stays on one line. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(80).forEach(c -> {
            if (isControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return text.codePointCount(0, text.length()) > 80 ? out + "…" : out.toString();
    }

    private String describe(Node node) {
        return node instanceof Node.Scalar s && s.value() != null ? "'" + printable(String.valueOf(s.value())) + "'"
                : node.typeName();
    }

    private static String suggestion(String key, Collection<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : allowed) {
            int d = distance(key.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
