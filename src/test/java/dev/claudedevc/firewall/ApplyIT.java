package dev.claudedevc.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudedevc.cli.CliRun;
import dev.claudedevc.cli.ExitCodes;
import dev.claudedevc.firewall.DevContainer.Exec;
import dev.claudedevc.model.ImageLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code claude-devc apply} on a running dev container of the lab: the audit → allow loop without a rebuild, a
 * policy the firewall refuses (the container stays closed and says so), and an installer the agent cannot use.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApplyIT {

    private FirewallLab lab;
    private Path project;
    private String descriptor;
    private Path templates;

    @BeforeAll
    void lab() throws IOException {
        lab = FirewallLab.shared();
        // A copy of the enforce variant's project: this test changes its descriptor, the image stays the lab's.
        project = Files.createTempDirectory("claude-devc-apply-it-");
        descriptor = Files.readString(lab.project(FirewallLab.Variant.ENFORCE).resolve("claude-devc.yaml"));
        Files.writeString(project.resolve("claude-devc.yaml"), descriptor);
        templates = Files.createTempDirectory("claude-devc-apply-it-templates-");
    }

    @AfterAll
    void removeCopies() throws IOException {
        for (Path dir : List.of(project, templates)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private String inContainer(DevContainer dev, String path) {
        return dev.asUser("cat " + path).succeeds().out();
    }

    @Test
    void aNameTheDescriptorNowAllowsWorksAfterApplyWithoutARebuild() throws IOException {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            dev.applyFirewall().succeeds();
            // wild.test is the apex of the allowed *.wild.test: not allowed itself.
            dev.connect4("wild.test", 443).doesNotResolve();
            dev.dig("wild.test").isNxdomain();

            Files.writeString(project.resolve("claude-devc.yaml"), descriptor.replace(
                    "    - allowed.test\n", "    - allowed.test\n    - wild.test         # added after an audit\n"));
            CliRun.of("generate", "-C", project.toString()).exits(0);
            CliRun applied = CliRun.of("apply", "-C", project.toString(), "--container", dev.id(), "--json").exits(0);
            JsonNode json = new ObjectMapper().readTree(applied.out());
            assertEquals("applied", json.get("outcome").asText(), applied.out());
            assertTrue(json.get("firewall").get("inForce").asBoolean(), applied.out());

            dev.connect4("wild.test", 443).reaches("wild");
            dev.connect4("allowed.test", 443).reaches("allowed");
            dev.connect4("blocked.test", 443).doesNotResolve();
            dev.connect4(lab.v4(FirewallLab.Server.NEIGHBOUR), 22).isRejected();
            assertTrue(dev.status().succeeds().out().startsWith("result=ok\n"));
            // What is live is what generate wrote (and the next build copies in): policy and managed settings alike.
            Path rendered = project.resolve(".devcontainer");
            assertEquals(Files.readString(rendered.resolve("claude-devc-policy.conf")),
                    inContainer(dev, ImageLayout.POLICY));
            assertEquals(Files.readString(rendered.resolve("claude-code-managed-settings.json")),
                    inContainer(dev, ImageLayout.MANAGED_SETTINGS));
            assertTrue(inContainer(dev, ImageLayout.MANAGED_SETTINGS).contains("\"wild.test:443\""));
            assertEquals("0:0 644\n0:0 644\n", dev.asRoot("stat -c '%u:%g %a' " + ImageLayout.POLICY + " "
                    + ImageLayout.MANAGED_SETTINGS).succeeds().out());
            dev.asRoot("test ! -e " + ImageLayout.STAGING).succeeds();
        }
    }

    @Test
    void aPolicyTheFirewallRefusesLeavesTheContainerClosedWithThePreviousFilesBack() throws IOException {
        // A policy the firewall refuses: its self-test finds a target it must deny reachable (the compiled policy
        // comes from Java, not a template, so a team template cannot make it malformed; the start-time check's
        // refusals of malformed files are CompiledPolicyVerdictIT's).
        Path refused = Files.createDirectories(templates.resolve("refused-project"));
        assertTrue(descriptor.contains("deny: [\""), descriptor);
        Files.writeString(refused.resolve("claude-devc.yaml"), descriptor.replace("deny: [\"",
                "deny: [\"allowed.test:443\", \""));
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            dev.applyFirewall().succeeds();
            String policyBefore = inContainer(dev, ImageLayout.POLICY);
            String settingsBefore = inContainer(dev, ImageLayout.MANAGED_SETTINGS);

            CliRun failed = CliRun.of("apply", "-C", refused.toString(), "--container", dev.id(), "--json")
                    .exits(ExitCodes.APPLY_FAILED);
            assertEquals("closed", new ObjectMapper().readTree(failed.out()).get("outcome").asText(), failed.out());
            assertTrue(failed.err().contains("the container is CLOSED"), failed.err());

            dev.assertClosed();
            dev.connect4("allowed.test", 443).fails();
            Exec status = dev.status().fails();
            assertTrue(status.out().startsWith("result=failed\n") && status.out().contains("closed=yes\n"),
                    status::text);
            assertEquals(policyBefore, inContainer(dev, ImageLayout.POLICY), "the previous policy is back");
            assertEquals(settingsBefore, inContainer(dev, ImageLayout.MANAGED_SETTINGS));

            // A good apply opens it again, to the descriptor's policy.
            CliRun.of("apply", "-C", project.toString(), "--container", dev.id()).exits(0);
            dev.connect4("allowed.test", 443).reaches("allowed");
        }
    }

    @Test
    void aCorruptedStagedPolicyIsRefusedByTheFirewallAndTheContainerStaysClosed() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            dev.applyFirewall().succeeds();
            String policyBefore = inContainer(dev, ImageLayout.POLICY);
            // Root-owned (the installer's own checks pass), but not a policy the firewall's start-time check accepts:
            // the live header with a record appended that breaks its grammar.
            Exec corrupted = dev.asRoot(ImageLayout.INSTALL_POLICY + " prepare && mkdir -p \"$1/etc/claude-devc\" && "
                    + "{ cat " + ImageLayout.POLICY + "; echo 'group 98 53'; } > \"$1" + ImageLayout.POLICY + "\" && "
                    + ImageLayout.INSTALL_POLICY + " apply", ImageLayout.STAGING);
            assertEquals(4, corrupted.exitCode(), corrupted::text);
            dev.assertClosed();
            assertTrue(dev.status().fails().out().contains("closed=yes\n"));
            assertEquals(policyBefore, inContainer(dev, ImageLayout.POLICY), "the previous policy is back");
        }
    }

    @Test
    void theInstallerRefusesStagedFilesNotRootsAndTheAgentCannotRunIt() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            dev.applyFirewall().succeeds();
            String policyBefore = inContainer(dev, ImageLayout.POLICY);
            dev.asRoot(ImageLayout.INSTALL_POLICY + " prepare").succeeds();
            // The agent can neither write the staging folder nor run the installer as root.
            dev.asUser("touch " + ImageLayout.STAGING + "/x").fails();
            dev.asUser("sudo -n " + ImageLayout.INSTALL_POLICY + " apply").fails();
            Exec asUser = dev.asUser(ImageLayout.INSTALL_POLICY + " apply").fails();
            assertEquals(2, asUser.exitCode(), asUser::text);

            Exec refused = dev.asRoot("mkdir -p \"$1/etc/claude-devc\" && echo 'version 1' > \"$1/etc/claude-devc/policy.conf\""
                    + " && chown dev \"$1/etc/claude-devc/policy.conf\" && " + ImageLayout.INSTALL_POLICY + " apply",
                    ImageLayout.STAGING);
            assertEquals(3, refused.exitCode(), refused::text);
            assertTrue(refused.err().contains("etc/claude-devc/policy.conf is not root's"), refused::text);
            assertEquals(policyBefore, inContainer(dev, ImageLayout.POLICY), "nothing was installed");

            // A file that cannot be swapped in (here a folder in the way of its rename; a full disk, say) puts the
            // ones already swapped back before anything reads them (files go in sorted: the managed settings first).
            String settingsBefore = inContainer(dev, ImageLayout.MANAGED_SETTINGS);
            Exec blocked = dev.asRoot(ImageLayout.INSTALL_POLICY + " prepare && mkdir -p \"$1/etc/claude-devc\" "
                    + "\"$1/etc/claude-code\" \"$2.claude-devc-new\" && echo '{}' > \"$1$3\" && echo 'version 1' > "
                    + "\"$1$2\" && " + ImageLayout.INSTALL_POLICY + " apply; rc=$?; rmdir \"$2.claude-devc-new\"/* "
                    + "\"$2.claude-devc-new\" 2>/dev/null; rm -rf \"$2.claude-devc-new\"; exit $rc",
                    ImageLayout.STAGING, ImageLayout.POLICY, ImageLayout.MANAGED_SETTINGS);
            assertEquals(3, blocked.exitCode(), blocked::text);
            assertTrue(blocked.err().contains("cannot install the staged files (the previous ones are back)"),
                    blocked::text);
            assertEquals(policyBefore, inContainer(dev, ImageLayout.POLICY));
            assertEquals(settingsBefore, inContainer(dev, ImageLayout.MANAGED_SETTINGS));
            assertTrue(dev.status().succeeds().out().startsWith("result=ok\n"), "the firewall is as it was");
            dev.connect4("allowed.test", 443).reaches("allowed");
        }
    }
}
