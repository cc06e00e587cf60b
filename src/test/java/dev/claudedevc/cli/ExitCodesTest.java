package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.TestPaths;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The exit codes are the same in {@link ExitCodes}, in {@code --help} and in the README, and each means one thing. */
class ExitCodesTest {

    @Test
    void everyCodeIsDocumentedInHelpAndReadme() throws IOException {
        Set<Integer> codes = codes();
        assertEquals(codes, documented(CliRun.of("--help").exits(0).out(), "(?m)^  (\\d+) {2,}\\S"), "--help");
        String readme = Files.readString(TestPaths.projectRoot().resolve("README.md"));
        assertEquals(codes, documented(readme, "(?m)^\\| (\\d+) \\| "), "README.md");
    }

    @Test
    void everyKindOfFailureHasACodeOfItsOwn() {
        Set<Integer> seen = new HashSet<>();
        for (ClaudeDevcException.Kind kind : ClaudeDevcException.Kind.values()) {
            int code = ExitCodes.of(kind);
            assertTrue(seen.add(code), kind + " shares exit code " + code);
            assertTrue(code > ExitCodes.USAGE, kind + " uses a code reserved for success, bugs or usage");
        }
    }

    private static Set<Integer> codes() {
        Set<Integer> codes = new TreeSet<>();
        for (Field field : ExitCodes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                try {
                    codes.add(field.getInt(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return codes;
    }

    private static Set<Integer> documented(String text, String regex) {
        Set<Integer> codes = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            codes.add(Integer.parseInt(m.group(1)));
        }
        return codes;
    }
}
