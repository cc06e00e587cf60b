package dev.claudedevc.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.ClaudeDevcException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a malformed file is told in plain words: no parser class or feature names, one line, invisible characters
 * escaped, a tab used for indentation reported where it is.
 */
class ParserMessagesTest {

    private static final DescriptorReader READER = new DescriptorReader();
    /** Words of the parsers' own vocabulary that mean nothing to a user. */
    static final Pattern INTERNALS = Pattern.compile("[A-Z][a-z]+(?:Start|End)?Event|JsonReadFeature|Feature\\b"
            + "|com\\.fasterxml|org\\.yaml|snakeyaml|JsonToken|START_ARRAY|START_OBJECT|VALUE_[A-Z]+|FIELD_NAME"
            + "|<block|<flow|\\bToken\\b|ALLOW_[A-Z_]+|Source: ");

    static final List<String> YAML = List.of("name: demo\nnetwork:\n  presets: [a\n", "name: demo\n- x\n",
            "name: [demo\n", "name: \"a\n", "name: demo\nx: {a: 1\n", "name: demo\n? [a]\n: b\n", "- a\n- b\n",
            "name: demo\nnetwork: [a]\n  b: c\n", "name: demo\n  bad: indent\n", "name: demo\n}\n", "a: b: c\n",
            "name: demo\nnetwork:\n  - a\n  b: 1\n");
    static final List<String> JSON = List.of("{\"name\": \"demo\",, }", "{\"name\": 'demo'}", "{\"name\": NaN}",
            "{\"name\": \"demo\" # y\n}", "{\"name\" \"demo\"}", "[1, 2", "{\"a\": [}", "{name: 1}");

    private static String message(String text, String file) {
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class,
                () -> READER.parse(text.getBytes(StandardCharsets.UTF_8), Path.of(file)), text);
        return e.getMessage();
    }

    @Test
    void syntaxErrorsAreToldInPlainWordsOnOneLine() {
        for (String yaml : YAML) {
            String m = message(yaml, "claude-devc.yaml");
            assertFalse(INTERNALS.matcher(m).find(), "YAML " + yaml + " -> " + m);
            assertFalse(m.contains("\n"), m);
            assertTrue(m.startsWith("claude-devc.yaml:"), m);
        }
        for (String json : JSON) {
            String m = message(json, "claude-devc.json");
            assertFalse(INTERNALS.matcher(m).find(), "JSON " + json + " -> " + m);
            assertFalse(m.contains("\n"), m);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200d", "\u2060", "\u200f", "\u061c"})
    void bidirectionalAndZeroWidthCharactersAreRefusedAndEscaped(String invisible) {
        String m = message("name: demo\nimage: deb" + invisible + "ian\n", "claude-devc.yaml");
        assertTrue(m.startsWith("claude-devc.yaml:2:11: "), m);
        assertTrue(m.contains(String.format("U+%04X", (int) invisible.charAt(0))), m);
        assertFalse(m.contains(invisible), "the character itself is never echoed");
        assertEquals(invisible, "" + invisible.charAt(0));
        assertEquals("a\\u202eb", Fields.printableText("a\u202eb"));
    }

    @Test
    void aTabUsedForIndentationIsReportedOnItsLineWithTheReason() {
        String m = message("name: demo\nnetwork:\n  mode: enforce\n\tports: [443]\n", "claude-devc.yaml");
        assertEquals("claude-devc.yaml:4:1: a tab is used for indentation; YAML indents with spaces only", m);
        String m2 = message("name: demo\nnetwork:\n  \tports: [443]\n", "claude-devc.yaml");
        assertEquals("claude-devc.yaml:3:3: a tab is used for indentation; YAML indents with spaces only", m2);
        // A tab after the value is only a separator, and fine.
        READER.parse("name: demo\t# the name\n".getBytes(StandardCharsets.UTF_8), Path.of("claude-devc.yaml"));
    }
}
