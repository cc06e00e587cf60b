package dev.claudedevc.descriptor;

import java.util.List;
import java.util.Map;

/**
 * A parsed YAML/JSON value that remembers where it was: the tree the validator walks. Mappings keep document
 * order; scalars keep their Java value (String, Long, Double, Boolean or null).
 */
sealed interface Node {

    /** 1-based line of the value's first character. */
    int line();

    /** 1-based column of the value's first character. */
    int column();

    /** What a user calls this kind of value, for messages. */
    String typeName();

    record MapNode(Map<String, Entry> entries, int line, int column) implements Node {
        @Override
        public String typeName() {
            return "a mapping";
        }
    }

    /** A key with the position of the key itself (errors about unknown keys point there). */
    record Entry(Node value, int keyLine, int keyColumn) {
    }

    record ListNode(List<Node> items, int line, int column) implements Node {
        @Override
        public String typeName() {
            return "a list";
        }
    }

    record Scalar(Object value, int line, int column) implements Node {
        @Override
        public String typeName() {
            if (value == null) {
                return "null";
            }
            if (value instanceof String text) {
                return text.isEmpty() ? "an empty value" : "a string";
            }
            if (value instanceof Boolean) {
                return "a boolean";
            }
            return "a number";
        }
    }
}
