package dev.claudedevc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of README's "Repository layout", read from the main sources' imports (the way
 * {@code docker.DockerBoundaryTest} keeps docker-java in its package): which project packages each package may
 * use, {@code model} on the JDK alone, picocli in {@code cli} alone.
 */
class LayeringTest {

    private static final Path MAIN = TestPaths.projectRoot().resolve("src/main/java/dev/claudedevc");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?([\\w.]+)");
    /** An import or a qualified name of picocli's (not the word in prose). */
    private static final Pattern PICOCLI = Pattern.compile("\\bpicocli\\.[A-Za-z]");
    private static final Pattern PROJECT_PACKAGE = Pattern.compile("dev\\.claudedevc\\.([a-z]+)\\.");

    /** Project packages each package may import; the root package (ClaudeDevcException) is open to all. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("model", Set.of()),
            Map.entry("assets", Set.of()),
            Map.entry("render", Set.of("assets")),
            Map.entry("descriptor", Set.of("assets", "model")),
            Map.entry("policy", Set.of("descriptor", "model")),
            Map.entry("generate", Set.of("assets", "descriptor", "model", "policy", "render")),
            Map.entry("validate", Set.of("assets", "descriptor", "generate", "model", "policy", "render")),
            Map.entry("audit", Set.of("descriptor", "model", "policy")),
            Map.entry("init", Set.of("assets", "descriptor", "generate", "model", "policy", "render", "validate")),
            Map.entry("docker", Set.of()),
            Map.entry("inspect", Set.of("docker", "model")),
            Map.entry("verify", Set.of("docker", "inspect", "model", "policy")),
            Map.entry("cli", Set.of("assets", "audit", "descriptor", "docker", "generate", "init", "inspect",
                    "model", "policy", "render", "validate", "verify")));

    @Test
    void eachPackageUsesOnlyTheLayersBelowIt() {
        List<String> offenders = sources().stream().flatMap(file -> {
            String pkg = packageOf(file);
            return imports(file).stream().map(PROJECT_PACKAGE::matcher).filter(Matcher::lookingAt)
                    .map(m -> m.group(1)).filter(used -> !used.equals(pkg))
                    .filter(used -> !ALLOWED.getOrDefault(pkg, Set.of()).contains(used))
                    .map(used -> MAIN.relativize(file) + " uses " + used);
        }).distinct().sorted().toList();
        assertEquals(List.of(), offenders);
    }

    @Test
    void everyPackageHasItsPlaceInTheLayers() {
        Set<String> packages = new TreeSet<>();
        sources().forEach(file -> packages.add(packageOf(file)));
        packages.remove("");
        assertEquals(new TreeSet<>(ALLOWED.keySet()), packages);
    }

    @Test
    void theModelNeedsOnlyTheJdk() {
        List<String> offenders = sources().stream().filter(file -> packageOf(file).equals("model"))
                .flatMap(file -> imports(file).stream().filter(i -> !i.startsWith("java.") && !i.startsWith(
                        "dev.claudedevc.model.")).map(i -> MAIN.relativize(file) + " imports " + i))
                .sorted().toList();
        assertEquals(List.of(), offenders);
    }

    @Test
    void onlyTheCommandLineSeesPicocli() {
        List<String> offenders = sources().stream().filter(file -> !packageOf(file).equals("cli"))
                .filter(file -> PICOCLI.matcher(read(file)).find()).map(file -> MAIN.relativize(file).toString())
                .sorted().toList();
        assertEquals(List.of(), offenders);
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code cli} for {@code .../dev/claudedevc/cli/Main.java}; empty for the root package. */
    private static String packageOf(Path file) {
        Path relative = MAIN.relativize(file.getParent());
        return relative.toString().replace('/', '.');
    }

    private static List<String> imports(Path file) {
        Matcher m = IMPORT.matcher(read(file));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
