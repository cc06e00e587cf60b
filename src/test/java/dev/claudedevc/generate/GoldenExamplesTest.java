package dev.claudedevc.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudedevc.TestPaths;
import dev.claudedevc.descriptor.DescriptorReader;
import dev.claudedevc.descriptor.LoadedDescriptor;
import dev.claudedevc.policy.TestPolicies;
import dev.claudedevc.validate.DevcontainerCheck;
import dev.claudedevc.validate.DockerfileCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario in devcontainer-examples/ renders to exactly its committed .devcontainer/ (run with
 * -Dgolden.update=true to refresh them after an intended change), identically in another process, and schema-valid.
 *
 * <p>The scripts every project gets unchanged from firewall/ ({@link Generator#SHARED_SCRIPTS}) are not copied into
 * the goldens: each golden's {@code claude-devc.sha256} (itself compared byte for byte) pins their SHA-256, so a
 * script change is reviewed once, in firewall/, and shows in each golden as one changed digest line.
 */
class GoldenExamplesTest {

    static Stream<Path> scenarios() throws IOException {
        try (Stream<Path> dirs = Files.list(TestPaths.examples())) {
            List<Path> list = dirs.filter(d -> Files.isRegularFile(d.resolve("claude-devc.yaml"))).sorted().toList();
            assertTrue(list.size() >= 4, "expected at least 4 golden scenarios, found " + list);
            return list.stream();
        }
    }

    private static GeneratedTree render(Path scenario) {
        LoadedDescriptor loaded = DescriptorReader.load(scenario, Optional.empty());
        return Generator.forTemplates(Optional.empty()).generate(loaded, TestPolicies.of(loaded));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void rendersExactlyTheCommittedFiles(Path scenario) throws IOException {
        GeneratedTree tree = render(scenario);
        Path expectedDir = goldenDir(scenario);
        if (Boolean.getBoolean("golden.update")) {
            TreeWriter.write(expectedDir, tree.files().stream()
                    .filter(f -> !Generator.SHARED_SCRIPTS.containsKey(f.path())).toList(), true);
            for (String shared : Generator.SHARED_SCRIPTS.keySet()) {
                Files.deleteIfExists(expectedDir.resolve(shared));
            }
        }
        TreeSet<String> expectedFiles;
        try (Stream<Path> files = Files.walk(expectedDir)) {
            expectedFiles = files.filter(Files::isRegularFile)
                    .map(f -> expectedDir.relativize(f).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        TreeSet<String> rendered = new TreeSet<>(tree.asMap().keySet());
        rendered.removeAll(Generator.SHARED_SCRIPTS.keySet());
        assertEquals(expectedFiles, rendered, "the set of rendered files (less the shared scripts)");
        for (GeneratedFile file : tree.files()) {
            if (Generator.SHARED_SCRIPTS.containsKey(file.path())) {
                continue;
            }
            Path expected = expectedDir.resolve(file.path());
            assertEquals(Files.readString(expected), file.text(), scenario.getFileName() + "/" + file.path());
            assertEquals(file.executable(), Files.isExecutable(expected), "mode of " + file.path());
        }
    }

    private static Path goldenDir(Path scenario) {
        return DescriptorReader.load(scenario, Optional.empty()).descriptor().output().in(scenario);
    }

    /** Each shared script is rendered executable, byte for byte as in firewall/, with the digest the golden pins. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theSharedScriptsAreFirewallsOwnWithTheDigestsTheGoldenPins(Path scenario) throws IOException {
        GeneratedTree tree = render(scenario);
        String manifest = Files.readString(goldenDir(scenario).resolve(Manifest.FILE));
        for (Map.Entry<String, String> shared : Generator.SHARED_SCRIPTS.entrySet()) {
            GeneratedFile file = tree.get(shared.getKey()).orElseThrow();
            assertArrayEquals(Files.readAllBytes(TestPaths.projectRoot().resolve(shared.getValue())), file.content(),
                    shared.getKey() + " is " + shared.getValue());
            assertTrue(file.executable(), shared.getKey() + " is executable");
            assertTrue(manifest.contains(Manifest.sha256(file.content()) + "  " + shared.getKey() + "\n"),
                    scenario.getFileName() + "'s " + Manifest.FILE + " pins " + shared.getKey());
        }
    }

    /**
     * Determinism across processes: a second JVM with another locale (Turkish: {@code "I".toLowerCase()} is not
     * {@code "i"}), time zone and default charset, fresh hash seeds (no class-data sharing, so the immutable
     * collections' iteration salt is drawn anew; every identity hash code the same constant) renders the scenario
     * from a copy of its inputs to exactly the bytes and file modes this JVM renders.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void anotherProcessWithOtherDefaultsAndHashSeedsRendersTheSameBytes(Path scenario, @TempDir Path copy)
            throws Exception {
        String output = DescriptorReader.load(scenario, Optional.empty()).descriptor().output().path();
        try (Stream<Path> files = Files.walk(scenario)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path relative = scenario.relativize(file);
                if (!relative.startsWith(output)) {
                    Files.createDirectories(copy.resolve(relative).getParent());
                    Files.copy(file, copy.resolve(relative));
                }
            }
        }
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-Duser.language=tr", "-Duser.country=TR",
                "-Duser.timezone=Pacific/Kiritimati", "-Dfile.encoding=ISO-8859-1", "-Xshare:off",
                "-XX:+UnlockExperimentalVMOptions", "-XX:hashCode=2", "-cp", System.getProperty("java.class.path"),
                "dev.claudedevc.cli.Main", "generate", "-C", copy.toString())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "finished");
        assertEquals(0, p.exitValue(), out);

        GeneratedTree here = render(scenario);
        Path there = copy.resolve(output);
        TreeSet<String> written;
        try (Stream<Path> files = Files.walk(there)) {
            written = files.filter(Files::isRegularFile).map(f -> there.relativize(f).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(new TreeSet<>(here.asMap().keySet()), written, "the same files");
        for (GeneratedFile file : here.files()) {
            Path other = there.resolve(file.path());
            assertArrayEquals(file.content(), Files.readAllBytes(other), file.path());
            assertEquals(file.executable(), Files.isExecutable(other), "mode of " + file.path());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void devcontainerJsonPassesTheOfficialSchemaAndTheFirewallChecks(Path scenario) {
        String text = render(scenario).get("devcontainer.json").orElseThrow().text();
        JsonNode json = DevcontainerCheck.parse(text, "devcontainer.json");
        assertEquals(List.of(), DevcontainerCheck.schema(json, TestPaths.devcontainerSchema().toString()));
        assertEquals(List.of(), DevcontainerCheck.structure(json));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void dockerfileKeepsTheFirewallEntrypointAndANonRootUser(Path scenario) {
        assertEquals(List.of(), DockerfileCheck.structure(render(scenario).get("Dockerfile").orElseThrow().text()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void renderedFilesEndWithLineFeedAndHaveNoCarriageReturns(Path scenario) {
        for (GeneratedFile file : render(scenario).files()) {
            String text = file.text();
            assertTrue(text.endsWith("\n"), file.path() + " ends with LF");
            assertTrue(text.indexOf('\r') < 0, file.path() + " has no CR");
        }
    }
}
