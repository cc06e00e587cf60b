package dev.claudedevc.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The official image chosen for a required version: the lowest published bookworm tag at or above it, among the
 * tags devcontainers/images publishes (see {@link Ecosystem}'s source note), with that image's user.
 */
class EcosystemTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "node   | 18     | mcr.microsoft.com/devcontainers/javascript-node:20-bookworm | node",
        "node   | 20.11.1| mcr.microsoft.com/devcontainers/javascript-node:20-bookworm | node",
        "node   | 23     | mcr.microsoft.com/devcontainers/javascript-node:24-bookworm | node",
        "node   | 25     | -                                                            | node",
        "python | 3.9    | mcr.microsoft.com/devcontainers/python:3.10-bookworm         | vscode",
        "python | 3.12.4 | mcr.microsoft.com/devcontainers/python:3.12-bookworm         | vscode",
        "python | 3.14   | mcr.microsoft.com/devcontainers/python:3.14-bookworm         | vscode",
        "java   | 8      | mcr.microsoft.com/devcontainers/java:11-bookworm             | vscode",
        "java   | 21     | mcr.microsoft.com/devcontainers/java:21-bookworm             | vscode",
        "java   | 22     | mcr.microsoft.com/devcontainers/java:25-bookworm             | vscode",
        "go     | 1.22   | mcr.microsoft.com/devcontainers/go:1.25-bookworm             | vscode",
        "go     | 1.26.1 | mcr.microsoft.com/devcontainers/go:1.26-bookworm             | vscode",
        "go     | 1.27   | -                                                            | vscode",
        "rust   | 1.80   | mcr.microsoft.com/devcontainers/rust:1-bookworm              | vscode",
    })
    void theLowestPublishedImageThatMeetsTheRequirement(String key, String version, String image, String user) {
        Ecosystem e = Ecosystem.byKey(key).orElseThrow();
        assertEquals(image.equals("-") ? Optional.empty() : Optional.of(image),
                e.officialImage(ToolchainVersion.parse(version)));
        assertEquals(user, e.officialUser());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "node   | 18.19 | 18 | 20",
        "python | 3.11  | 3.11 | 3.12",
        "java   | 17    | 17 | 21",
        "go     | 1.19  | 1.19 | 1.20",
        "rust   | 1.85  | 1.85 | 1.86",
    })
    void debianBookwormsVersion(String key, String debian, String fits, String tooNew) {
        Ecosystem e = Ecosystem.byKey(key).orElseThrow();
        assertEquals(ToolchainVersion.parse(debian), e.debianVersion());
        assertEquals(true, e.debianVersion().meets(ToolchainVersion.parse(fits)));
        assertEquals(false, e.debianVersion().meets(ToolchainVersion.parse(tooNew)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "go     | 1.19 | golang-go      | 1.19 | false",
        "go     | 1.20 | golang-1.23-go | 1.23 | true",
        "go     | 1.23 | golang-1.23-go | 1.23 | true",
        "go     | 1.24 | -              | -    | false",
        "python | 3.11 | python3 python3-pip python3-venv | 3.11 | false",
        "python | 3.12 | -              | -    | false",
        "java   | 21   | -              | -    | false",
    })
    void debianPackagesThatMeetTheRequirementFromBookwormOrItsBackports(String key, String required,
            String packages, String version, boolean backports) {
        Ecosystem e = Ecosystem.byKey(key).orElseThrow();
        Optional<Ecosystem.DebianToolchain> t = e.debianToolchain(ToolchainVersion.parse(required));
        if (packages.equals("-")) {
            assertEquals(Optional.empty(), t);
            return;
        }
        assertEquals(List.of(packages.split(" ")), t.orElseThrow().packages());
        assertEquals(ToolchainVersion.parse(version), t.orElseThrow().version());
        assertEquals(backports, t.orElseThrow().backports());
        assertEquals(backports ? List.of("/usr/lib/go-1.23/bin/go", "/usr/lib/go-1.23/bin/gofmt") : List.of(),
                t.orElseThrow().commands());
    }
}
