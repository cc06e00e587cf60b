package dev.claudedevc.descriptor;

import dev.claudedevc.ClaudeDevcException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where each value of a descriptor was written: key path ({@code network.allowedDomains[2]}) to line and column.
 * The reader keeps it beside the validated descriptor so that what is built from the descriptor later (the
 * effective policy) can say where an entry came from, and can fail with a located message of its own.
 */
public final class SourceMap {

    /** A 1-based position in the file. */
    public record Position(int line, int column) {
    }

    private final Path file;
    private final Map<String, Position> positions;

    private SourceMap(Path file, Map<String, Position> positions) {
        this.file = Objects.requireNonNull(file, "file");
        this.positions = Map.copyOf(positions);
    }

    /** No positions: a descriptor that was not read from text (labels then name the file and key path only). */
    public static SourceMap none(Path file) {
        return new SourceMap(file, Map.of());
    }

    /** The positions of every value in the tree, keyed as {@link Fields} names them in messages. */
    static SourceMap of(Path file, Node root) {
        Map<String, Position> positions = new HashMap<>();
        walk("", root, positions);
        return new SourceMap(file, positions);
    }

    private static void walk(String path, Node node, Map<String, Position> out) {
        out.put(path, new Position(node.line(), node.column()));
        if (node instanceof Node.MapNode map) {
            map.entries().forEach((key, entry) -> walk(Located.child(path, key), entry.value(), out));
        } else if (node instanceof Node.ListNode list) {
            for (int i = 0; i < list.items().size(); i++) {
                walk(path + "[" + i + "]", list.items().get(i), out);
            }
        }
    }

    public Optional<Position> at(String keyPath) {
        return Optional.ofNullable(positions.get(keyPath));
    }

    /**
     * {@code claude-devc.yaml:14:7}: the descriptor's file name (not its path, so that labels built from it are the
     * same on every machine and in every working directory) and the value's position, when known.
     */
    public String location(String keyPath) {
        String name = file.getFileName().toString();
        return at(keyPath).map(p -> name + ":" + p.line() + ":" + p.column()).orElse(name);
    }

    /** A located descriptor error, in the reader's own format ({@code file:line:column: key.path: reason}). */
    public ClaudeDevcException error(String keyPath, String reason) {
        Position p = at(keyPath).orElse(new Position(1, 1));
        return new Located.Source(file, "YAML").error(p.line(), p.column(), keyPath, reason);
    }
}
