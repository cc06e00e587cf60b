package dev.claudedevc.descriptor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Streams YAML or JSON into a {@link Node} tree with positions. Deliberately narrower than YAML: no anchors or
 * aliases (so no alias bombs), no duplicate keys, no tags (on keys or values), a bounded depth, string keys only.
 */
final class TreeParser {

    /** Deep enough for any real descriptor (settings objects included), shallow enough to stop abuse. */
    static final int MAX_DEPTH = 16;

    private final JsonFactory factory;

    private TreeParser(JsonFactory factory) {
        this.factory = factory;
    }

    static TreeParser yaml() {
        // Duplicate keys are refused by read(), which knows their key path.
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(0);
        options.setNestingDepthLimit(MAX_DEPTH + 4);
        options.setCodePointLimit(DescriptorReader.MAX_BYTES);
        return new TreeParser(YAMLFactory.builder().loaderOptions(options).build());
    }

    static TreeParser json() {
        return new TreeParser(JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
                .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 4).build())
                .build());
    }

    /** Parses one document; an empty document is an empty mapping. */
    Node parse(String text, Located.Source source) {
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new Node.MapNode(Map.of(), 1, 1);
            }
            Node root = read(parser, source, "", 0);
            if (parser.nextToken() != null) {
                throw source.error(line(parser), column(parser), "", "more than one document in the file");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            String reason = ParserMessages.plain(e.getOriginalMessage());
            throw source.error(where == null ? 1 : Math.max(1, where.getLineNr()),
                    where == null ? 1 : Math.max(1, where.getColumnNr()), "", "not valid " + source.format() + ": "
                            + reason);
        } catch (IOException e) {
            throw source.error(1, 1, "", "cannot parse: " + e.getMessage());
        }
    }

    private Node read(JsonParser parser, Located.Source source, String path, int depth) throws IOException {
        int line = line(parser);
        int column = column(parser);
        if (depth > MAX_DEPTH) {
            throw source.error(line, column, path, "nested deeper than " + MAX_DEPTH + " levels");
        }
        rejectAnchors(parser, source, path);
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, Node.Entry> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = line(parser);
                    int keyColumn = column(parser);
                    String childPath = Located.child(path, key);
                    rejectAnchors(parser, source, childPath);
                    if (entries.containsKey(key)) {
                        throw source.error(keyLine, keyColumn, childPath, "duplicate key");
                    }
                    parser.nextToken();
                    entries.put(key, new Node.Entry(read(parser, source, childPath, depth + 1), keyLine, keyColumn));
                }
                return new Node.MapNode(entries, line, column);
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser, source, path + "[" + items.size() + "]", depth + 1));
                }
                return new Node.ListNode(items, line, column);
            }
            case VALUE_STRING:
                return new Node.Scalar(parser.getText(), line, column);
            case VALUE_NUMBER_INT:
                plainNumber(parser, source, path, line, column, PLAIN_INTEGER);
                if (parser.getNumberType() != JsonParser.NumberType.INT
                        && parser.getNumberType() != JsonParser.NumberType.LONG) {
                    throw source.error(line, column, path, "number out of range");
                }
                return new Node.Scalar(parser.getLongValue(), line, column);
            case VALUE_NUMBER_FLOAT:
                plainNumber(parser, source, path, line, column, PLAIN_DECIMAL);
                if (!Double.isFinite(parser.getDoubleValue())) {
                    throw source.error(line, column, path, "number out of range");
                }
                return new Node.Scalar(parser.getDoubleValue(), line, column);
            case VALUE_TRUE:
            case VALUE_FALSE:
                String word = parser.getText();
                if (!word.equals("true") && !word.equals("false")) {
                    throw source.error(line, column, path, "'" + Located.escapeControls(word) + "' is a YAML 1.1"
                            + " boolean; write true or false, or quote it (\"" + Located.escapeControls(word)
                            + "\") for text");
                }
                return new Node.Scalar(token == JsonToken.VALUE_TRUE, line, column);
            case VALUE_NULL:
                return new Node.Scalar(null, line, column);
            default:
                throw source.error(line, column, path, "unsupported value (" + token + ")");
        }
    }

    /** An integer as people write it: no sign but minus, no leading zero, no base prefix, no separators. */
    static final Pattern PLAIN_INTEGER = Pattern.compile("-?(?:0|[1-9][0-9]*)");
    static final Pattern PLAIN_DECIMAL = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?");

    /**
     * Refuses YAML 1.1's other number forms, which read as something else than they look: {@code 0443} is octal
     * (291), {@code 0x10} hex, {@code 1_000} and {@code +5} pass unnoticed. Plain decimal only, in every field.
     */
    private static void plainNumber(JsonParser parser, Located.Source source, String path, int line, int column,
            Pattern plain) throws IOException {
        String text = parser.getText();
        if (text != null && !plain.matcher(text).matches()) {
            String hint = text.matches("[-+]?0[0-7_]+") ? " (YAML 1.1 reads a leading 0 as octal: "
                    + parser.getNumberValue() + ")" : "";
            throw source.error(line, column, path, "'" + Located.escapeControls(text) + "' is not a plain decimal"
                    + " number" + hint + "; write it in decimal digits without a leading zero, sign, prefix or _,"
                    + " or quote it for text");
        }
    }

    private static void rejectAnchors(JsonParser parser, Located.Source source, String path) throws IOException {
        if (parser instanceof YAMLParser yaml) {
            // An alias arrives as a string holding the anchor's name: refused, never read as that string.
            if (yaml.getCurrentAnchor() != null || yaml.isCurrentAlias()) {
                throw source.error(line(parser), column(parser), path, "YAML anchors and aliases are not allowed");
            }
            if (yaml.getTypeId() != null) {
                throw source.error(line(parser), column(parser), path, "YAML tags are not allowed");
            }
        }
    }

    private static int line(JsonParser parser) {
        return Math.max(1, parser.currentTokenLocation().getLineNr());
    }

    private static int column(JsonParser parser) {
        return Math.max(1, parser.currentTokenLocation().getColumnNr());
    }
}
