package dev.claudedevc.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.claudedevc.TestPaths;
import dev.claudedevc.model.ImageLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The policy installer: shellcheck-clean, strict, and reachable by no sudoers entry (its behaviour: ApplyIT). */
class InstallPolicyScriptTest {

    private static final Path SCRIPT = TestPaths.projectRoot().resolve("firewall/claude-devc-install-policy.sh");

    @Test
    void isShellcheckCleanAndStrict() throws Exception {
        List<String> lines = Files.readAllLines(SCRIPT);
        assertEquals("#!/bin/bash -p", lines.get(0));
        assertTrue(lines.contains("set -euo pipefail"));
        assertTrue(lines.contains("PATH=/usr/sbin:/usr/bin:/sbin:/bin"));
        Process version;
        try {
            version = new ProcessBuilder("shellcheck", "--version").redirectErrorStream(true).start();
        } catch (IOException missing) {
            if ("true".equals(System.getenv("CI"))) {
                fail("shellcheck is not installed (run .ci/provision) and CI=true");
            }
            Assumptions.abort("shellcheck is not installed (run .ci/provision)");
            return;
        }
        version.waitFor(30, TimeUnit.SECONDS);
        Process check = new ProcessBuilder("shellcheck", "--severity=style", "--shell=bash", SCRIPT.toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), output);
    }

    @Test
    void theAgentsUserCannotRunItAsRoot() {
        assertFalse(ImageLayout.SUDO_COMMANDS.stream().anyMatch(c -> c.contains(ImageLayout.INSTALL_POLICY)),
                ImageLayout.SUDO_COMMANDS.toString());
    }

    @Test
    void itKnowsTheStagingFolderAndPolicyFoldersImageLayoutNames() throws IOException {
        String script = Files.readString(SCRIPT);
        assertTrue(script.contains("readonly STATE_DIR=/var/lib/claude-devc\nreadonly STAGING=$STATE_DIR/staging\n"),
                "STAGING is " + ImageLayout.STAGING);
        assertEquals("/var/lib/claude-devc/staging", ImageLayout.STAGING);
        for (ImageLayout.PlacedFile file : ImageLayout.POLICY_FILES) {
            assertTrue(file.path().substring(1).matches("etc/(claude-devc|claude-code)/[A-Za-z0-9_][A-Za-z0-9_.-]*"),
                    file + " is a file the installer may replace (RE_TARGET)");
        }
    }
}
