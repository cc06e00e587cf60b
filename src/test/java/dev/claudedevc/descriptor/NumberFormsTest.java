package dev.claudedevc.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudedevc.ClaudeDevcException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * YAML 1.1 reads {@code 0443} as 291, {@code 0x10} as 16, {@code 1_000} and {@code +5} as numbers, and
 * {@code yes}/{@code on}/{@code True} as booleans. Every integer field of the descriptor — enumerated from the
 * published schema, so a new one cannot be missed — refuses those forms, located, and takes plain decimal.
 */
class NumberFormsTest {

    private static final DescriptorReader READER = new DescriptorReader();
    static final List<String> BAD_INTEGERS = List.of("0443", "0x1bb", "0b111", "1_000", "+443", "00", "012");
    static final List<String> BAD_BOOLEANS = List.of("yes", "no", "on", "off", "True", "FALSE");

    /** Key paths (a.b, a[] for items, a.* for any key) of every integer-typed value in the schema. */
    static List<String> integerFields() throws IOException {
        JsonNode schema;
        try (InputStream in = NumberFormsTest.class.getResourceAsStream("/claude-devc/descriptor.schema.json")) {
            schema = new ObjectMapper().readTree(in);
        }
        List<String> out = new ArrayList<>();
        walk(schema, schema, "", out);
        return out;
    }

    private static void walk(JsonNode root, JsonNode node, String path, List<String> out) {
        if (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            walk(root, root.at(ref.substring(1)), path, out);
            return;
        }
        JsonNode type = node.path("type");
        boolean integer = type.asText().equals("integer")
                || (type.isArray() && type.toString().contains("\"integer\""));
        if (integer) {
            out.add(path);
        }
        node.path("properties").fields().forEachRemaining(e -> walk(root, e.getValue(),
                path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
        if (node.has("items")) {
            walk(root, node.get("items"), path + "[]", out);
        }
        if (node.path("additionalProperties").isObject()) {
            walk(root, node.get("additionalProperties"), path + ".*", out);
        }
        for (String combinator : List.of("anyOf", "oneOf", "allOf")) {
            node.path(combinator).forEach(n -> walk(root, n, path, out));
        }
    }

    /** A descriptor setting {@code field} to {@code value}, with the value on the last line at column 3+. */
    static String descriptor(String field, String value) {
        StringBuilder yaml = new StringBuilder("name: demo\n");
        String[] parts = field.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            String key = parts[i].replace("[]", "").replace("*", "SOME_VAR");
            String indent = "  ".repeat(i);
            boolean last = i == parts.length - 1;
            if (!last) {
                yaml.append(indent).append(key).append(":\n");
            } else if (parts[i].endsWith("[]")) {
                yaml.append(indent).append(key).append(": [").append(value).append("]\n");
            } else {
                yaml.append(indent).append(key).append(": ").append(value).append("\n");
            }
        }
        return yaml.toString();
    }

    @Test
    void theSchemaHasTheIntegerFieldsWeKnow() throws IOException {
        List<String> fields = integerFields();
        assertTrue(fields.containsAll(List.of("network.ports[]", "network.hostAccess.ports[]", "containerEnv.*")),
                fields.toString());
    }

    static Stream<Arguments> badIntegers() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String field : integerFields()) {
            for (String bad : BAD_INTEGERS) {
                out.add(Arguments.of(field, bad));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badIntegers")
    void everyIntegerFieldRefusesOtherNumberForms(String field, String bad) {
        String yaml = descriptor(field, bad);
        int line = yaml.split("\n").length;
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class,
                () -> READER.parse(yaml.getBytes(StandardCharsets.UTF_8), Path.of("claude-devc.yaml")), yaml);
        String where = field.replace("[]", "[0]").replace("*", "SOME_VAR");
        assertTrue(e.getMessage().startsWith("claude-devc.yaml:" + line + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(": " + where + ": '" + bad + "' is not a plain decimal number"),
                e.getMessage());
    }

    @Test
    void plainDecimalIsTakenAsWritten() {
        var d = READER.parse(("name: demo\nnetwork:\n  ports: [443, 8443]\n  hostAccess: {ports: [5432]}\n"
                + "containerEnv: {WORKERS: 12}\n").getBytes(StandardCharsets.UTF_8), Path.of("claude-devc.yaml"));
        assertEquals(List.of(443, 8443), d.network().ports());
        assertEquals(List.of(5432), d.network().hostPorts());
        assertEquals(Map.of("WORKERS", "12"), d.containerEnv());
    }

    @Test
    void anOctalLookingPortSaysWhatYamlWouldHaveRead() {
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class, () -> READER.parse(
                "name: demo\nnetwork:\n  ports: [0443]\n".getBytes(StandardCharsets.UTF_8), Path.of("claude-devc.yaml")));
        assertEquals("claude-devc.yaml:3:11: network.ports[0]: '0443' is not a plain decimal number (YAML 1.1 reads"
                + " a leading 0 as octal: 291); write it in decimal digits without a leading zero, sign, prefix or _,"
                + " or quote it for text", e.getMessage());
    }

    static Stream<Arguments> badBooleans() {
        List<Arguments> out = new ArrayList<>();
        for (String bad : BAD_BOOLEANS) {
            // Where a boolean or a string is expected: an env value, a VS Code setting, a name.
            out.add(Arguments.of("containerEnv:\n  DEBUG: " + bad + "\n", 3, "containerEnv.DEBUG"));
            out.add(Arguments.of("vscode:\n  settings:\n    editor.formatOnSave: " + bad + "\n", 4,
                    "vscode.settings.editor.formatOnSave"));
            out.add(Arguments.of("image: " + bad + "\n", 2, "image"));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("badBooleans")
    void yaml11BooleanWordsAreRefused(String body, int line, String path) {
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class, () -> READER.parse(
                ("name: demo\n" + body).getBytes(StandardCharsets.UTF_8), Path.of("claude-devc.yaml")));
        assertTrue(e.getMessage().startsWith("claude-devc.yaml:" + line + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(path + ": '"), e.getMessage());
        assertTrue(e.getMessage().contains("is a YAML 1.1 boolean; write true or false"), e.getMessage());
    }

    @Test
    void trueAndFalseAndQuotedWordsStayWhatTheySay() {
        var d = READER.parse(("name: demo\ncontainerEnv: {A: \"yes\", B: 'on'}\nvscode:\n  settings: {x.y: true,"
                + " x.z: false}\n").getBytes(StandardCharsets.UTF_8), Path.of("claude-devc.yaml"));
        assertEquals(Map.of("A", "yes", "B", "on"), d.containerEnv());
        assertEquals(Map.of("x.y", true, "x.z", false), d.vscode().settings());
        assertFalse(d.containerEnv().containsValue("true"));
    }
}
