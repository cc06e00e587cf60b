package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.claudedevc.TestPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The command classes stay thin: none uses another command's statics, and none connects to Docker by itself. */
class ThinCommandsTest {

    private static final Path CLI = TestPaths.projectRoot().resolve("src/main/java/dev/claudedevc/cli");
    /** {@code FooCommand.something}, not {@code FooCommand.class} (the root command lists its subcommands). */
    private static final Pattern COMMAND_MEMBER = Pattern.compile("\\b([A-Z][A-Za-z]*Command)\\.(?!class\\b)[a-zA-Z_]");

    @Test
    void noCommandUsesAnotherCommandsStatics() {
        List<String> offenders = new ArrayList<>();
        for (Path file : commands()) {
            String own = file.getFileName().toString().replace(".java", "");
            Matcher m = COMMAND_MEMBER.matcher(read(file));
            while (m.find()) {
                if (!m.group(1).equals(own)) {
                    offenders.add(own + " uses " + m.group(1) + "." + m.group().substring(m.group(1).length() + 1));
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void commandsGetTheirEngineFromTheTop() {
        List<String> offenders = commands().stream().filter(f -> read(f).contains("DockerEngines"))
                .map(f -> f.getFileName().toString()).toList();
        assertEquals(List.of(), offenders, "commands connect through root.engines(), chosen in Main");
    }

    private static List<Path> commands() {
        try (Stream<Path> files = Files.list(CLI)) {
            return files.filter(f -> f.getFileName().toString().endsWith("Command.java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
