package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What build and verify refuse before they talk to any engine (no Docker needed). */
class BuildVerifyCommandTest {

    @TempDir
    Path project;

    @BeforeEach
    void descriptor() throws IOException {
        Files.writeString(project.resolve("claude-devc.yaml"), "name: demo\nclaudeCode:\n  install: none\n");
    }

    @Test
    void buildWithoutARenderedFolderSaysToGenerateFirst() {
        CliRun run = CliRun.of("build", "-C", project.toString()).exits(ExitCodes.NOT_READY);
        assertTrue(run.err().matches("claude-devc: no Dockerfile in .*\\.devcontainer: run claude-devc generate "
                + "first\\n"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void buildRejectsMalformedOptionsAsUsageErrors() {
        assertTrue(CliRun.of("build", "-C", project.toString(), "--build-arg", "NOT A NAME=1")
                .exits(ExitCodes.USAGE).err().contains("--build-arg: not an ARG name: NOT A NAME"));
        assertTrue(CliRun.of("build", "-C", project.toString(), "--base-image", "Bad Image")
                .exits(ExitCodes.USAGE).err().contains("--base-image: not an image reference: Bad Image"));
        assertTrue(CliRun.of("build", "-C", project.toString(), "-t", "x;rm -rf /")
                .exits(ExitCodes.USAGE).err().contains("-t: not an image reference"));
        assertTrue(CliRun.of("build", "-C", project.toString(), "--base-image", "local/debian:bookworm",
                "--build-arg", "CLAUDE_DEVC_BASE_IMAGE=x").exits(ExitCodes.USAGE).err()
                .contains("--base-image and --build-arg CLAUDE_DEVC_BASE_IMAGE set the same thing"));
    }

    @Test
    void verifyRejectsConflictingNetworkOptions() {
        assertTrue(CliRun.of("verify", "-C", project.toString(), "--internal", "--network", "net")
                .exits(ExitCodes.USAGE).err().contains("--internal and --network exclude each other"));
        assertTrue(CliRun.of("verify", "-C", project.toString(), "--network", "a b")
                .exits(ExitCodes.USAGE).err().contains("--network: not a network name: a b"));
    }

    @Test
    void anInvalidDescriptorIsReportedBeforeAnyEngineIsNeeded() throws IOException {
        Files.writeString(project.resolve("claude-devc.yaml"), "name: demo\nbogus: 1\n");
        CliRun.of("build", "-C", project.toString()).exits(ExitCodes.INVALID_DESCRIPTOR);
        CliRun.of("verify", "-C", project.toString()).exits(ExitCodes.INVALID_DESCRIPTOR);
    }

    @Test
    void theDescriptorsProxyBecomesDockersProxyBuildArgs() throws IOException {
        Files.writeString(project.resolve("claude-devc.yaml"), """
                name: demo
                proxy:
                  http: http://proxy.corp.example.com:3128
                  noProxy: [localhost, .corp.example.com]
                """);
        var descriptor = dev.claudedevc.descriptor.DescriptorReader.load(project, java.util.Optional.empty())
                .descriptor();
        assertEquals(java.util.Map.of("HTTP_PROXY", "http://proxy.corp.example.com:3128",
                "http_proxy", "http://proxy.corp.example.com:3128",
                "NO_PROXY", "localhost,.corp.example.com", "no_proxy", "localhost,.corp.example.com"),
                BuildCommand.proxyArgs(descriptor));
    }

    @Test
    void imageReferencesFollowDockersGrammar() {
        for (String ok : new String[] {"local/debian:bookworm", "claude-devc/demo:latest", "debian",
                "registry.example.com:5000/team/img:1.2-rc_1", "a__b/c-d.e:TAG"}) {
            assertTrue(Images.IMAGE_REFERENCE.matcher(ok).matches(), ok);
        }
        for (String bad : new String[] {"Upper/case", "a:b:c", "img:", "-lead", "a b", "x;y", "img:$(id)"}) {
            assertTrue(!Images.IMAGE_REFERENCE.matcher(bad).matches(), bad);
        }
    }
}
