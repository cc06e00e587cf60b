package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.claudedevc.docker.EngineFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of the CLI through {@link Main#run}, with what it printed. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(String... args) {
        return with(EngineFactory.REAL, args);
    }

    /** A run whose commands get their Docker engine from {@code engines} (a scripted one, say). */
    public static CliRun with(EngineFactory engines, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), engines);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Asserts the exit code, showing the output when it differs. */
    public CliRun exits(int expected) {
        assertEquals(expected, exitCode, () -> "exit code; stdout:\n" + out + "\nstderr:\n" + err);
        return this;
    }
}
