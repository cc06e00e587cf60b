package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.descriptor.DescriptorReader;
import dev.claudedevc.model.Descriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code init} in fixtures shaped like the six kinds of repository: the toolchain at the version the project
 * states, on its official Dev Container image by default, or from Debian packages when asked and bookworm's
 * version fits, with a located message naming the conflict and the fix when it does not.
 */
class InitToolchainsTest {

    @TempDir
    Path repo;

    private void copy(String fixture) throws IOException {
        Path from = Path.of("src/test/resources/toolchains", fixture);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, repo.resolve(f.getFileName()));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "node-web-framework  | node   | 18   | mcr.microsoft.com/devcontainers/javascript-node:20-bookworm | node",
        "node-nvmrc          | node   | 20.11.1 | mcr.microsoft.com/devcontainers/javascript-node:20-bookworm | node",
        "python-http-library | python | 3.9  | mcr.microsoft.com/devcontainers/python:3.10-bookworm | vscode",
        "python-pinned       | python | 3.12 | mcr.microsoft.com/devcontainers/python:3.12-bookworm | vscode",
        "spring-boot-maven   | java   | 17   | mcr.microsoft.com/devcontainers/java:17-bookworm | vscode",
        "go-cli-library      | go     | 1.23 | mcr.microsoft.com/devcontainers/go:1.25-bookworm | vscode",
        "rust-cli            | rust   | 1.80 | mcr.microsoft.com/devcontainers/rust:1-bookworm | vscode",
        "rust-toolchain-file | rust   | 1.82.0 | mcr.microsoft.com/devcontainers/rust:1-bookworm | vscode",
        "gradle-java-library | java   | 21   | mcr.microsoft.com/devcontainers/java:21-bookworm | vscode",
    })
    void byDefaultTheOfficialImageOfTheToolchainIsTheBaseWithItsNonRootUser(String fixture, String ecosystem,
            String version, String image, String user) throws IOException {
        copy(fixture);
        CliRun run = CliRun.of("init", "-C", repo.toString(), "--claude-install", "none").exits(0);
        assertTrue(run.err().contains("toolchain: " + ecosystem + " " + version + " ("), run.err());
        Descriptor d = DescriptorReader.load(repo, Optional.empty()).descriptor();
        assertEquals(image, d.image());
        assertEquals(user, d.user());
        assertEquals(ecosystem + " " + version, d.toolchains().list().get(0).ecosystem().key() + " "
                + d.toolchains().list().get(0).version());
        String dockerfile = Files.readString(repo.resolve(".devcontainer/Dockerfile"));
        assertTrue(dockerfile.contains("ARG CLAUDE_DEVC_BASE_IMAGE=" + image + "\n"), dockerfile);
        assertTrue(dockerfile.contains("LABEL devcontainer.metadata=\"[]\"\n"));
        assertTrue(dockerfile.contains("      git \\\n"), "git in every image");
        for (String pkg : d.toolchains().list().get(0).ecosystem().debianPackages()) {
            assertFalse(dockerfile.contains("      " + pkg + " \\\n"), pkg + " comes with the base image");
        }
        CliRun.of("validate", "-C", repo.toString()).exits(0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "node-web-framework  | nodejs npm",
        "python-http-library | python3 python3-pip python3-venv",
        "spring-boot-maven   | maven openjdk-17-jdk-headless",
        "rust-cli            | cargo-web rustc-web",
        "go-cli-library      | golang-1.23-go",
    })
    void fromDebianPackagesWhenBookwormsVersionFits(String fixture, String packages) throws IOException {
        copy(fixture);
        CliRun init = CliRun.of("init", "-C", repo.toString(), "--claude-install", "none", "--toolchain-source",
                "debian").exits(0);
        assertTrue(init.err().contains("\nfrom Debian packages: " + fixture.replaceAll("-.*", "").replace("spring", "java")
                + " "), init.err());
        Descriptor d = DescriptorReader.load(repo, Optional.empty()).descriptor();
        assertEquals(DescriptorReader.DEFAULT_IMAGE, d.image());
        assertEquals(DescriptorReader.DEFAULT_USER, d.user());
        String dockerfile = Files.readString(repo.resolve(".devcontainer/Dockerfile"));
        for (String pkg : packages.split(" ")) {
            assertTrue(dockerfile.contains("      " + pkg + " \\\n"), pkg);
        }
        // Go 1.23 is newer than bookworm's 1.19: bookworm-backports, for that step only, and go linked onto PATH.
        boolean backports = fixture.startsWith("go");
        assertEquals(backports, init.err().contains("from Debian packages: go 1.23 (golang-1.23-go, from "
                + "bookworm-backports)\n"), init.err());
        assertEquals(backports, dockerfile.contains(
                " && echo \"deb $uri bookworm-backports main\" >/etc/apt/sources.list.d/claude-devc-backports.list \\\n"));
        assertEquals(backports, dockerfile.contains(" && ln -sf /usr/lib/go-1.23/bin/go /usr/local/bin/"));
        CliRun.of("validate", "-C", repo.toString()).exits(0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "go-cli-library      | toolchains.go: Go 1.25 is required, but Debian bookworm packages Go 1.19 (golang-go), or 1.23 from bookworm-backports (golang-1.23-go); use source: official-image (the default), which bases the image on mcr.microsoft.com/devcontainers/go:1.25-bookworm",
        "gradle-java-library | toolchains.java: Java (JDK) 21 is required, but Debian bookworm packages Java (JDK) 17",
    })
    void fromDebianPackagesATooOldVersionIsALocatedErrorNamingTheConflictAndTheFix(String fixture, String message)
            throws IOException {
        copy(fixture);
        if (fixture.startsWith("go")) {  // newer than bookworm-backports' 1.23 too
            Files.writeString(repo.resolve("go.mod"), "module example.test/cli\n\ngo 1.25.0\n");
        }
        List<Path> before;
        try (Stream<Path> files = Files.list(repo)) {
            before = files.sorted().toList();
        }
        CliRun run = CliRun.of("init", "-C", repo.toString(), "--toolchain-source", "debian")
                .exits(ExitCodes.INVALID_DESCRIPTOR);
        assertTrue(run.err().matches("(?s).*claude-devc\\.yaml:[0-9]+:[0-9]+: " + java.util.regex.Pattern.quote(message)
                + ".*"), run.err());
        try (Stream<Path> files = Files.list(repo)) {
            assertEquals(before, files.sorted().toList(), "nothing written");
        }
    }

    @Test
    void severalEcosystemsTheOneDebianCannotServeIsTheBaseAndTheOthersComeFromDebian() throws IOException {
        copy("python-http-library");
        Files.writeString(repo.resolve("Cargo.toml"), "[package]\nname = \"x\"\nrust-version = \"1.88\"\n");
        CliRun.of("init", "-C", repo.toString(), "--claude-install", "none").exits(0);
        Descriptor d = DescriptorReader.load(repo, Optional.empty()).descriptor();
        assertEquals("mcr.microsoft.com/devcontainers/rust:1-bookworm", d.image());
        String dockerfile = Files.readString(repo.resolve(".devcontainer/Dockerfile"));
        assertTrue(dockerfile.contains("      python3-venv \\\n"), dockerfile);
        assertFalse(dockerfile.contains("      rustc-web \\\n"), dockerfile);
        assertTrue(dockerfile.contains("rustup toolchain install 1.88 "), "the stated Rust installed as root");
        String json = Files.readString(repo.resolve(".devcontainer/devcontainer.json"));
        assertTrue(json.contains("target=/home/vscode/.cargo,type=volume") && json.contains(
                "target=/home/vscode/.cache/pip,type=volume"), "caches on per-project volumes: " + json);
    }

    @Test
    void aVersionCommentFromAHostileProjectFileCannotAddDescriptorLines() throws IOException {
        Files.writeString(repo.resolve("package.json"), "{\"engines\": {\"node\": \">=18\nimage: evil/image\"}}");
        CliRun.of("init", "-C", repo.toString(), "--claude-install", "none").exits(0);
        Descriptor d = DescriptorReader.load(repo, Optional.empty()).descriptor();
        assertEquals("mcr.microsoft.com/devcontainers/javascript-node:20-bookworm", d.image());
        assertFalse(Files.readString(repo.resolve("claude-devc.yaml")).contains("evil"));
    }

    /** Root-owned toolchain folders: what the user installs goes to the home folder, what needs root at build time. */
    @Test
    void npmGlobalInstallsGoToTheUsersPrefixAfterClaudeCodesOwnRootInstall() throws IOException {
        copy("node-web-framework");
        CliRun.of("init", "-C", repo.toString(), "--claude-install", "npm").exits(0);
        String dockerfile = Files.readString(repo.resolve(".devcontainer/Dockerfile"));
        int claude = dockerfile.indexOf("RUN npm install -g @anthropic-ai/claude-code@");
        int prefix = dockerfile.indexOf("ENV NPM_CONFIG_PREFIX=/home/node/.npm-global\n");
        assertTrue(claude > 0 && prefix > claude, "Claude Code into the root-owned prefix, then the user's: "
                + dockerfile);
        assertTrue(Files.readString(repo.resolve(".devcontainer/devcontainer.json"))
                .contains(":/home/node/.npm-global/bin\""), "its bin on the user's PATH only");
        assertFalse(dockerfile.contains("rustup toolchain install"), dockerfile);
    }

    @Test
    void onTheRustImageThePinnedChannelIsInstalledAsRootBeforeTheFoldersBecomeRootOwned() throws IOException {
        copy("rust-toolchain-file");
        CliRun.of("init", "-C", repo.toString(), "--claude-install", "none").exits(0);
        String dockerfile = Files.readString(repo.resolve(".devcontainer/Dockerfile"));
        int install = dockerfile.indexOf("rustup toolchain install 1.82.0 --profile minimal");
        int chown = dockerfile.indexOf("chown -R root:root \"$real\"");
        assertTrue(install > 0 && chown > install, dockerfile);
        assertTrue(dockerfile.indexOf("ENV CARGO_HOME=/home/vscode/.cargo") > install, "rustup ran with the image's"
                + " CARGO_HOME; the user's comes after");
    }

    @Test
    void fromDebianRustHasNoRustupStep() throws IOException {
        copy("rust-cli");
        CliRun.of("init", "-C", repo.toString(), "--claude-install", "none", "--toolchain-source", "debian").exits(0);
        assertFalse(Files.readString(repo.resolve(".devcontainer/Dockerfile")).contains("rustup toolchain install"));
    }
}
