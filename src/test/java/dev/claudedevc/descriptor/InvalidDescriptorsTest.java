package dev.claudedevc.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.cli.ExitCodes;
import dev.claudedevc.cli.Main;
import dev.claudedevc.policy.EffectivePolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The invalid corpus: every descriptor in {@code descriptors/invalid/} (plus a few whose bytes cannot live in a
 * text file, written here) is refused, through the reader and through the CLI, with exit code 3, one line naming
 * the file, the line and the key path, and nothing written.
 *
 * <p>Each corpus file starts with {@code # expect: LINE:KEY.PATH:REASON} ({@code //} in JSON): the 1-based line the
 * error must point at ({@code -} when the file as a whole is refused before parsing), the key path (empty for
 * the document itself) and a substring of the reason. Files a case refers to live in {@code invalid/fixtures/}.
 */
class InvalidDescriptorsTest {

    static final Path INVALID = Path.of("src/test/resources/descriptors/invalid");
    private static final Pattern EXPECT = Pattern.compile("(?:#|//) expect: (-|[0-9]+):([^:]*):(.*)");

    private static final DescriptorReader READER = new DescriptorReader();

    private static Path generated;

    /** One invalid descriptor and what its error must say. */
    record Case(String name, Path file, String line, String keyPath, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> corpus() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(INVALID)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String first = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
                var m = EXPECT.matcher(first);
                if (!m.matches()) {
                    throw new IllegalStateException(file + ": first line must be '# expect: LINE:KEY.PATH:REASON'");
                }
                cases.add(new Case(file.getFileName().toString(), file, m.group(1), m.group(2), m.group(3)));
            }
        }
        cases.addAll(generatedCases());
        return cases.stream();
    }

    /** Cases whose bytes are written here: invalid UTF-8, raw control characters, an oversized file. */
    private static List<Case> generatedCases() throws IOException {
        generated = Files.createTempDirectory("claude-devc-invalid");
        List<Case> cases = new ArrayList<>();
        cases.add(write("non-utf8-bytes.yaml", bytes("name: demo\nuser: dev\ntimezone: UTC", 0xff, 0xfe, "\n"),
                "3", "", "not valid UTF-8 (byte 0xff"));
        cases.add(write("non-utf8-overlong-slash.yaml", bytes("name: demo\ncaCertificates:\n  - a", 0xc0, 0xaf,
                "b.crt\n"), "3", "", "not valid UTF-8 (byte 0xc0"));
        cases.add(write("non-utf8-truncated-sequence.yaml", bytes("name: d", 0xe2, 0x82), "1", "",
                "not valid UTF-8"));
        cases.add(write("raw-bell-character.yaml", bytes("name: demo\n# a comment with a bell", 0x07, "\n"),
                "2", "", "control character U+0007"));
        cases.add(write("raw-nul-in-value.yaml", bytes("name: demo\nimage: debian", 0x00, "bookworm\n"),
                "2", "", "control character U+0000"));
        cases.add(write("raw-escape-sequence.yaml", bytes("name: demo\nuser: dev", 0x1b, "[2J\n"),
                "2", "", "control character U+001B"));
        cases.add(write("raw-line-separator.yaml", "name: demo\nuser: dev\u2028x\n".getBytes(StandardCharsets.UTF_8),
                "2", "", "control character U+2028"));
        cases.add(write("raw-next-line.yaml", "name: demo\nuser: dev\u0085image: x\n".getBytes(StandardCharsets.UTF_8),
                "2", "", "control character U+0085"));
        cases.add(write("raw-lone-carriage-return.yaml",
                "name: demo\nnetwork:\n  mode: audit\r#  mode: enforce\n".getBytes(StandardCharsets.UTF_8),
                "3", "", "control character U+000D"));
        StringBuilder big = new StringBuilder("name: big\npackages:\n");
        while (big.length() <= DescriptorReader.MAX_BYTES) {
            big.append("  - git\n");
        }
        cases.add(write("over-size-limit.yaml", big.toString().getBytes(StandardCharsets.UTF_8), "-", "",
                "is over the 262144-byte limit"));
        return cases;
    }

    private static Case write(String name, byte[] content, String line, String keyPath, String reason)
            throws IOException {
        Path file = generated.resolve(name);
        Files.write(file, content);
        return new Case(name, file, line, keyPath, reason);
    }

    /** Text and single bytes, concatenated. */
    private static byte[] bytes(Object... parts) {
        var out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }

    @AfterAll
    static void deleteGenerated() throws IOException {
        if (generated != null) {
            deleteTree(generated);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithALocatedOneLineErrorAndNothingWritten(Case c, @TempDir Path project) throws IOException {
        // The reader, and the effective policy it resolves to (which checks the names it refers to: presets).
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class,
                () -> EffectivePolicy.of(READER.read(c.file()), PresetCatalog.builtIn()));
        assertEquals(ClaudeDevcException.Kind.INVALID_DESCRIPTOR, e.kind());
        assertLocated(c, Located.Source.display(c.file()), e.getMessage());

        // The CLI, on a copy of the project: validate names the file, generate finds it by its conventional name.
        Path named = project.resolve(c.name());
        Path conventional = project.resolve(c.name().endsWith(".json") ? "claude-devc.json" : "claude-devc.yaml");
        Files.copy(c.file(), named);
        Files.copy(c.file(), conventional);
        copyTree(INVALID.resolve("fixtures"), project.resolve("fixtures"));
        Map<String, String> before = snapshot(project);

        Result validate = run("validate", "-C", project.toString(), "-f", named.toString());
        assertEquals(ExitCodes.INVALID_DESCRIPTOR, validate.code(), validate::err);
        assertEquals("", validate.out(), "nothing on stdout");
        assertLocated(c, Located.Source.display(named), oneLine(validate.err()));

        Result generate = run("generate", "-C", project.toString());
        assertEquals(ExitCodes.INVALID_DESCRIPTOR, generate.code(), generate::err);
        assertEquals("", generate.out(), "nothing on stdout");
        assertLocated(c, Located.Source.display(conventional), oneLine(generate.err()));

        assertFalse(Files.exists(project.resolve(".devcontainer")), "no .devcontainer/ written");
        assertEquals(before, snapshot(project), "nothing written, changed or removed");
    }

    @Test
    void theCorpusHasAtLeastThirtyFilesAndEveryOneNamesTheReasonItExpects() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(INVALID)) {
            files = list.filter(Files::isRegularFile).toList();
        }
        assertTrue(files.size() >= 30, "only " + files.size() + " files");
        for (Path file : files) {
            var m = EXPECT.matcher(Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse(""));
            assertTrue(m.matches() && !m.group(3).isBlank(), file + ": no '# expect: LINE:KEY.PATH:REASON' line");
        }
    }

    @Test
    void aMissingDescriptorIsRefusedWithExitCode3AndAHint(@TempDir Path project) {
        Result result = run("generate", "-C", project.toString());
        assertEquals(ExitCodes.INVALID_DESCRIPTOR, result.code());
        assertTrue(oneLine(result.err()).contains("run 'claude-devc init'"), result.err());
        assertFalse(Files.exists(project.resolve(".devcontainer")));
    }

    @Test
    void anExplicitDescriptorThatDoesNotExistIsRefused(@TempDir Path project) {
        // -f is relative to the current folder, like every path on the command line; a missing file is exit 10.
        Result result = run("validate", "-C", project.toString(), "-f", project.resolve("nope.yaml").toString());
        assertEquals(ExitCodes.IO_ERROR, result.code());
        assertTrue(oneLine(result.err()).endsWith("nope.yaml: no such file"), result.err());
    }

    @Test
    void aDirectoryGivenAsTheDescriptorIsRefused(@TempDir Path project) throws IOException {
        Files.createDirectory(project.resolve("claude-devc.yaml"));
        Result result = run("validate", "-C", project.toString(), "-f",
                project.resolve("claude-devc.yaml").toString());
        assertEquals(ExitCodes.INVALID_DESCRIPTOR, result.code(), result.err());
        assertTrue(oneLine(result.err()).contains("claude-devc.yaml: not a regular file (a folder)"), result.err());
    }

    @Test
    void aDescriptorThatNeverEndsIsReadOnlyUpToTheSizeLimit(@TempDir Path project) {
        Path endless = Path.of("/dev/zero");
        assumeTrue(Files.isReadable(endless), "needs /dev/zero");
        ClaudeDevcException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(ClaudeDevcException.class, () -> READER.read(endless)));
        // Refused before it is opened: a device is not a regular file.
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        Result result = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> run("validate", "-C", project.toString(), "-f", endless.toString()));
        assertEquals(ExitCodes.INVALID_DESCRIPTOR, result.code(), result.err());
    }

    private static void assertLocated(Case c, String display, String message) {
        String where = "-".equals(c.line())
                ? Pattern.quote(display) + ": "
                : Pattern.quote(display) + ":" + c.line() + ":[0-9]+: ";
        String key = c.keyPath().isEmpty() ? "" : Pattern.quote(c.keyPath()) + ": ";
        String pattern = "(?:claude-devc: )?" + where + key + ".*" + Pattern.quote(c.reason()) + ".*";
        assertTrue(Pattern.matches(pattern, message), () -> "expected " + c.line() + ":" + c.keyPath() + ":"
                + c.reason() + "\n  got: " + message);
        assertFalse(message.contains("internal error"), message);
    }

    /** The error output is exactly one line; returns it. */
    private static String oneLine(String err) {
        List<String> lines = err.lines().toList();
        assertEquals(1, lines.size(), () -> "expected one line on stderr, got:\n" + err);
        assertTrue(lines.get(0).startsWith("claude-devc: "), lines.get(0));
        return lines.get(0);
    }

    record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Every file below {@code dir} with its size and modification time. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    files.put(dir.relativize(p).toString(), a.size() + "@" + a.lastModifiedTime());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return files;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
