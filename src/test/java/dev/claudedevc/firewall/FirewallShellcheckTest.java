package dev.claudedevc.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.claudedevc.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The firewall script's static checks: shellcheck-clean, strict mode, and its argument handling. */
class FirewallShellcheckTest {

    private static final Path SCRIPT = TestPaths.projectRoot().resolve("firewall/claude-devc-firewall.sh");
    private static final Path DENIALS = TestPaths.projectRoot().resolve("firewall/claude-devc-denials.sh");

    record Run(int exitCode, String output) {
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + command);
        }
        return new Run(p.exitValue(), output);
    }

    @Test
    void isShellcheckClean() throws Exception {
        Run version;
        try {
            version = run(List.of("shellcheck", "--version"));
        } catch (IOException missing) {
            String reason = "shellcheck is not installed (run .ci/provision)";
            if ("true".equals(System.getenv("CI"))) {
                fail(reason + " and CI=true");
            }
            Assumptions.abort(reason);
            return;
        }
        assertEquals(0, version.exitCode(), version.output());
        Run check = run(List.of("shellcheck", "--severity=style", "--shell=bash", SCRIPT.toString(),
                DENIALS.toString()));
        assertEquals(0, check.exitCode(), check.output());
    }

    @Test
    void runsInStrictModeUnderAFixedInterpreterAndPath() throws IOException {
        for (Path script : List.of(SCRIPT, DENIALS)) {
            List<String> lines = Files.readAllLines(script);
            // -p: no BASH_ENV, no functions, SHELLOPTS or BASHOPTS taken from the environment.
            assertEquals("#!/bin/bash -p", lines.get(0), script.toString());
            assertTrue(lines.contains("set -euo pipefail"), script.toString());
            assertTrue(lines.contains("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), script.toString());
            assertTrue(Files.isExecutable(script), "the source is executable: " + script);
        }
    }

    @Test
    void refusesEveryArgumentButStatusWithAUsageLine() throws Exception {
        for (List<String> args : List.of(List.of("--policy", "/tmp/x"), List.of("status", "extra"), List.of("apply"))) {
            Run r = run(concat(List.of("bash", SCRIPT.toString()), args));
            assertEquals(2, r.exitCode(), r.output());
            assertTrue(r.output().contains("usage: claude-devc-firewall"), r.output());
        }
        Run help = run(List.of("bash", SCRIPT.toString(), "--help"));
        assertEquals(0, help.exitCode(), help.output());
        assertTrue(help.output().startsWith("usage: claude-devc-firewall"), help.output());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
