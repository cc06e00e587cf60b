package dev.claudedevc.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.model.Ecosystem;
import dev.claudedevc.model.ToolchainVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Version detection on fixture files shaped like real repositories (a Node web framework, a Python HTTP library, a
 * Spring Boot sample with Maven, a Go CLI library, a Rust CLI, a Gradle-built Java library) and the other places
 * projects state their toolchain.
 */
class ToolchainDetectorTest {

    static final Path FIXTURES = Path.of("src/test/resources/toolchains");

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "node-web-framework   | node 18      | package.json engines.node \">= 18\"",
        "python-http-library  | python 3.9   | pyproject.toml requires-python \">=3.9\"",
        "spring-boot-maven    | java 17      | pom.xml java.version 17",
        "go-cli-library       | go 1.23      | go.mod go 1.23.0",
        "rust-cli             | rust 1.80    | Cargo.toml rust-version 1.80",
        "gradle-java-library  | java 21      | build.gradle.kts JavaLanguageVersion.of(21)",
        "node-nvmrc           | node 20.11.1 | .nvmrc v20.11.1",
        "python-poetry        | python 3.10  | pyproject.toml poetry python \"^3.10\"",
        "python-pinned        | python 3.12  | .python-version 3.12.4",
        "maven-release        | java 21      | pom.xml maven.compiler.release 21",
        "maven-source-1.8     | java 8       | pom.xml maven.compiler.source 1.8",
        "gradle-groovy        | java 17      | build.gradle JavaLanguageVersion.of(17)",
        "gradle-compatibility | java 11      | build.gradle sourceCompatibility = JavaVersion.VERSION_11",
        "rust-toolchain-file  | rust 1.82.0  | rust-toolchain channel 1.82.0",
        "go-toolchain-only    | go 1.22      | go.mod toolchain go1.22.5",
    })
    void readsTheVersionTheProjectStates(String fixture, String expected, String evidence) {
        List<ToolchainDetector.Detected> found = ToolchainDetector.detect(FIXTURES.resolve(fixture));
        assertEquals(1, found.size(), found::toString);
        ToolchainDetector.Detected d = found.get(0);
        assertEquals(expected, d.ecosystem().key() + " " + d.version().map(Object::toString).orElse("?"));
        assertEquals(evidence, d.evidence());
    }

    @Test
    void aMarkerWithoutAStatedVersionIsStillDetectedWithoutOne() {
        List<ToolchainDetector.Detected> found = ToolchainDetector.detect(FIXTURES.resolve("no-versions"));
        assertEquals(List.of(Ecosystem.NODE, Ecosystem.RUST), found.stream().map(ToolchainDetector.Detected::ecosystem)
                .toList());
        assertTrue(found.stream().allMatch(d -> d.version().isEmpty()), found::toString);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " ; ", value = {
        ">=18 ; 18",
        ">= 18.12.0 <21 ; 18.12.0",
        "^20.1 ; 20.1",
        "~3.11 ; 3.11",
        "~=3.10 ; 3.10",
        ">=3.9,<4 ; 3.9",
        "18.x || 20.x ; 18",
        "^16 || ^18 || >=20 ; 16",
        "v20.11.0 ; 20.11.0",
        "14 - 20 ; 14",
        "!=3.9.1,>=3.8 ; 3.8",
    })
    void aRequirementGivesTheLowestVersionItAccepts(String requirement, String lowest) {
        assertEquals(Optional.of(ToolchainVersion.parse(lowest)), ToolchainDetector.lowest(requirement));
    }

    @Test
    void namesAndUpperBoundsAloneStateNothing() {
        for (String r : List.of("lts/*", "lts/iron", "node", "stable", "<20", "")) {
            assertEquals(Optional.empty(), ToolchainDetector.lowest(r), r);
        }
    }

    @Test
    void aSymbolicLinkOrAHugeFileStatesNothing(@TempDir Path dir) throws Exception {
        Path target = Files.writeString(dir.resolveSibling(dir.getFileName() + "-go.mod"), "module x\n\ngo 1.99\n");
        Files.createSymbolicLink(dir.resolve("go.mod"), target);
        assertEquals(List.of(), ToolchainDetector.detect(dir), "a link is not the project's file");
        Files.writeString(dir.resolve("package.json"), "{\"x\": \"" + "a".repeat(ToolchainDetector.MAX_BYTES)
                + "\", \"engines\": {\"node\": \">=99\"}}");
        List<ToolchainDetector.Detected> found = ToolchainDetector.detect(dir);
        assertEquals(Optional.empty(), found.get(0).version(), "only the first MiB is read");
        Files.delete(target);
    }
}
