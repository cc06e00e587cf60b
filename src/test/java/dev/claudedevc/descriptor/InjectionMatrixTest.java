package dev.claudedevc.descriptor;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.ClaudeDevcException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shell, Dockerfile or JSON breakout appended to an otherwise valid value of every string field is refused,
 * at that field's line and key path, in one line. The corpus files show single cases; this is the full matrix.
 */
class InjectionMatrixTest {

    private static final DescriptorReader READER = new DescriptorReader();
    /** Stands for the file; {@code fixtures/} beside it holds the certificate the caCertificates field names. */
    private static final Path FILE = InvalidDescriptorsTest.INVALID.resolve("claude-devc.yaml");

    /** Payloads, as they appear in the value (written into a YAML double-quoted string, escaped). */
    private static final List<String> PAYLOADS = List.of("$(curl x)", "`id`", "'", "\"", "\n", " && id", ";id",
            "|sh", "\u0000", "\\", "\r", "\t", "${IFS}", "<x", ">x", "\u2028");

    /**
     * One string field: a descriptor where {@code %s} is replaced by a quoted value, the valid value the payload
     * is appended to, the line of the value and its key path.
     */
    record Field(String name, String template, String base, int line, String keyPath) {
        String descriptor(String value) {
            return String.format(template, quote(value));
        }
    }

    private static final List<Field> FIELDS = List.of(
            new Field("name", "name: %s\n", "demo", 1, "name"),
            new Field("image", "name: demo\nimage: %s\n", "debian:bookworm", 2, "image"),
            new Field("user", "name: demo\nuser: %s\n", "dev", 2, "user"),
            new Field("packages", "name: demo\npackages: [git, %s]\n", "curl", 2, "packages[1]"),
            new Field("timezone", "name: demo\ntimezone: %s\n", "Europe/Berlin", 2, "timezone"),
            new Field("claudeCode.install", "name: demo\nclaudeCode:\n  install: %s\n", "npm", 3,
                    "claudeCode.install"),
            new Field("claudeCode.version", "name: demo\nclaudeCode:\n  version: %s\n", "1.0.44", 3,
                    "claudeCode.version"),
            new Field("network.mode", "name: demo\nnetwork:\n  mode: %s\n", "audit", 3, "network.mode"),
            new Field("network.ipv6", "name: demo\nnetwork:\n  ipv6: %s\n", "block", 3, "network.ipv6"),
            new Field("network.presets", "name: demo\nnetwork:\n  presets: [%s]\n", "npm", 3,
                    "network.presets[0]"),
            new Field("network.allowedDomains", "name: demo\nnetwork:\n  allowedDomains:\n    - %s\n",
                    "api.example.com", 4, "network.allowedDomains[0]"),
            new Field("network.allowedDomains (port)", "name: demo\nnetwork:\n  allowedDomains:\n    - %s\n",
                    "api.example.com:443", 4, "network.allowedDomains[0]"),
            new Field("network.deniedDomains", "name: demo\nnetwork:\n  deniedDomains: [%s]\n",
                    "ads.example.com", 3, "network.deniedDomains[0]"),
            new Field("network.allowedCidrs", "name: demo\nnetwork:\n  allowedCidrs: [%s]\n", "10.0.0.0/8", 3,
                    "network.allowedCidrs[0]"),
            new Field("network.verify.allow", "name: demo\nnetwork:\n  verify:\n    allow: [%s]\n",
                    "api.example.com:443", 4, "network.verify.allow[0]"),
            new Field("network.verify.deny", "name: demo\nnetwork:\n  verify:\n    deny: [%s]\n",
                    "[fd00::1]:22", 4, "network.verify.deny[0]"),
            new Field("vscode.extensions", "name: demo\nvscode:\n  extensions: [%s]\n", "ms-python.python", 3,
                    "vscode.extensions[0]"),
            new Field("vscode.settings key", "name: demo\nvscode:\n  settings:\n    %s: 1\n", "editor.tabSize", 4,
                    "vscode.settings."),
            new Field("containerEnv name", "name: demo\ncontainerEnv:\n  %s: x\n", "FOO", 3, "containerEnv."),
            new Field("containerEnv value", "name: demo\ncontainerEnv:\n  FOO: %s\n", "${localEnv:HOME}/x", 3,
                    "containerEnv.FOO"),
            new Field("caCertificates", "name: demo\ncaCertificates: [%s]\n", "fixtures/corp-root.crt", 2,
                    "caCertificates[0]"),
            new Field("proxy.http", "name: demo\nproxy:\n  http: %s\n", "http://proxy.example.com:3128", 3,
                    "proxy.http"),
            new Field("proxy.https", "name: demo\nproxy:\n  https: %s\n", "http://10.0.0.1:3128/", 3,
                    "proxy.https"),
            new Field("proxy.noProxy", "name: demo\nproxy:\n  noProxy: [localhost, %s]\n", ".corp.example", 3,
                    "proxy.noProxy[1]"));

    /**
     * Values that only ever reach JSON (where they are escaped) may hold shell characters, but no control
     * characters: settings values and nested settings keys.
     */
    private static final List<Field> JSON_ONLY_FIELDS = List.of(
            new Field("vscode.settings value", "name: demo\nvscode:\n  settings:\n    editor.fontFamily: %s\n",
                    "Fira Code", 4, "vscode.settings.editor.fontFamily"),
            new Field("vscode.settings nested value",
                    "name: demo\nvscode:\n  settings:\n    files.exclude:\n      \"**/x\": %s\n", "a", 5,
                    "vscode.settings.files.exclude.**/x"));

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Field field : FIELDS) {
            for (String payload : PAYLOADS) {
                cases.add(Arguments.of(field, payload));
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> controlCharactersInJson() {
        List<Arguments> cases = new ArrayList<>();
        for (Field field : JSON_ONLY_FIELDS) {
            for (String payload : List.of("\n", "\u0000", "\u001b[2J", "\r", "\u0085", "\u2028", "\u007f")) {
                cases.add(Arguments.of(field, payload));
            }
        }
        return cases.stream();
    }

    static Stream<Field> fields() {
        return Stream.concat(FIELDS.stream(), JSON_ONLY_FIELDS.stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void theBaseValueOfEveryFieldIsValid(Field field) {
        assertDoesNotThrow(() -> parse(field.descriptor(field.base())));
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("matrix")
    void aBreakoutAppendedToAnyStringFieldIsRefusedAtThatField(Field field, String payload) {
        assertRefused(field, field.base() + payload);
        assertRefused(field, payload + field.base());
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("controlCharactersInJson")
    void controlCharactersAreRefusedEvenInValuesThatOnlyReachJson(Field field, String payload) {
        assertRefused(field, field.base() + payload);
    }

    private static void assertRefused(Field field, String value) {
        String yaml = field.descriptor(value);
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class, () -> parse(yaml),
                () -> "accepted:\n" + yaml);
        String message = e.getMessage();
        assertEquals(ClaudeDevcException.Kind.INVALID_DESCRIPTOR, e.kind());
        assertFalse(message.contains("\n") || message.contains("\r") || message.contains("\u0000"),
                () -> "not one line: " + message);
        assertTrue(message.startsWith(Located.Source.display(FILE) + ":" + field.line() + ":"),
                () -> "expected line " + field.line() + ": " + message);
        assertTrue(message.contains(": " + field.keyPath()), () -> "expected key " + field.keyPath() + ": " + message);
    }

    private static void parse(String yaml) {
        READER.parse(yaml.getBytes(StandardCharsets.UTF_8), FILE);
    }

    /** A YAML double-quoted scalar holding exactly {@code value}. */
    private static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }
}
