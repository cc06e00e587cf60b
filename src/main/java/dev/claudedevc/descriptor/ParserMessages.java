package dev.claudedevc.descriptor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The YAML and JSON parsers' messages in a user's words: their event, token and feature names ({@code
 * SequenceStartEvent}, {@code START_ARRAY}, {@code JsonReadFeature...}) are replaced by what they mean, on one line.
 */
public final class ParserMessages {

    private static final Pattern EVENT = Pattern.compile("<?org\\.yaml\\.snakeyaml\\.events\\.(\\w+?)Event(?:\\([^)]*\\))?>?");
    private static final Pattern FEATURE_ADVICE = Pattern.compile("[:;,]?\\s*\\(?(?:enable|disable)[^()]*Feature[^()]*\\)?"
            + "|\\s*\\([^()]*Feature[^()]*\\)|`?JsonReadFeature\\.\\w+`?|`?JsonParser\\.Feature\\.\\w+`?");
    private static final Pattern LEFTOVER = Pattern.compile("Event\\b|Feature\\b|com\\.fasterxml|org\\.yaml|snakeyaml"
            + "|JsonToken|[A-Z]+_[A-Z_]+|Source: ");
    private static final Map<String, String> WORDS = new LinkedHashMap<>();

    static {
        WORDS.put("SequenceStart", "a list");
        WORDS.put("SequenceEnd", "the end of a list");
        WORDS.put("MappingStart", "a mapping");
        WORDS.put("MappingEnd", "the end of a mapping");
        WORDS.put("Scalar", "a value");
        WORDS.put("Alias", "an alias");
        WORDS.put("DocumentStart", "a new document");
        WORDS.put("DocumentEnd", "the end of the document");
        WORDS.put("StreamEnd", "the end of the file");
        WORDS.put("START_ARRAY", "a list");
        WORDS.put("END_ARRAY", "the end of a list");
        WORDS.put("START_OBJECT", "an object");
        WORDS.put("END_OBJECT", "the end of an object");
        WORDS.put("FIELD_NAME", "a key");
        WORDS.put("VALUE_STRING", "a string");
        WORDS.put("VALUE_NUMBER_INT", "a number");
        WORDS.put("VALUE_NUMBER_FLOAT", "a number");
        WORDS.put("VALUE_TRUE", "true");
        WORDS.put("VALUE_FALSE", "false");
        WORDS.put("VALUE_NULL", "null");
    }

    private ParserMessages() {
    }

    /** The first line of {@code message}, in plain words; "syntax error" when nothing plain is left. */
    public static String plain(String message) {
        String text = message == null ? "" : message.lines().findFirst().orElse("").strip();
        Matcher m = EVENT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(WORDS.getOrDefault(m.group(1), "something else")));
        }
        m.appendTail(out);
        text = out.toString()
                .replace("Expected a field name (Scalar value in YAML), got this instead:", "expected a key, got")
                .replace(" (Scalar value in YAML)", "");
        text = FEATURE_ADVICE.matcher(text).replaceAll("");
        text = text.replaceAll("\\s*\\((?:start marker at|for \\w+ starting at) \\[Source: [^\\]]*\\]\\)", "");
        for (Map.Entry<String, String> w : WORDS.entrySet()) {
            if (w.getKey().contains("_")) {
                text = text.replaceAll("\\(?\\b" + w.getKey() + "\\b\\)?", w.getValue());
            }
        }
        text = text.strip();
        if (text.isEmpty() || LEFTOVER.matcher(text).find()) {
            return "syntax error";
        }
        return text;
    }
}
