package dev.claudedevc.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.model.ProtectedPaths;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How inspect classifies the probe's facts: what is high, and that values never reach a finding. */
class InspectorTest {

    private static final String CLEAN = String.join("\n",
            "agent\tdev\t1000",
            "protected\t/workspace/.git\tread-only",
            "protected\t/workspace/.devcontainer\tread-only",
            "mount\t/workspace\t/home/me/repo\trw\text4",
            "mount\t/workspace/.git\t/home/me/repo/.git\tro\text4",
            "mount\t/var/lib/claude-devc/git\t/home/me/repo/.git\trw\text4",
            "mount\t/home/dev/.claude\t/var/lib/docker/volumes/x/_data\trw\text4",
            "cap\tCapBnd\t00000000a80435fb",
            "cap\tCapEff\t0000000000000000",
            "env\tPATH\tset",
            "env\tSSH_AUTH_SOCK\tempty",
            "firewall\tresult=ok",
            "");

    private static Inspector.Finding only(Inspector.Report report, String area) {
        List<Inspector.Finding> found = report.findings().stream().filter(f -> f.area().equals(area)
                && f.severity() == Inspector.Severity.HIGH).toList();
        assertEquals(1, found.size(), () -> "one high " + area + " finding in " + report.findings());
        return found.get(0);
    }

    @Test
    void aCleanContainerHasNoHighFinding() {
        Inspector.Report report = Inspector.classify(CLEAN);
        assertFalse(report.anyHigh(), report.findings()::toString);
        assertTrue(report.findings().stream().anyMatch(f -> f.detail().contains("NET_ADMIN")));
    }

    @Test
    void eachWayOutIsHighWithAFix() {
        String planted = CLEAN.replace("protected\t/workspace/.devcontainer\tread-only",
                "protected\t/workspace/.devcontainer\twritable")
                .replace("mount\t/workspace/.git\t/home/me/repo/.git\tro\text4\n", "")
                .replace("00000000a80435fb", "00000000a82435fb") // + SYS_ADMIN
                + String.join("\n",
                "socket\t/tmp/vscode-ssh-auth-1.sock\tyes",
                "socket\t/var/run/docker.sock\tyes",
                "credential\tsystem\tcredential.helper\tide",
                "env\tREMOTE_CONTAINERS_IPC\tset",
                "env\tGITHUB_TOKEN\tset",
                "mount\t/home/dev/.ssh\t/home/me/.ssh\trw\text4",
                "tamper\t/var/lib/claude-devc/git/commondir\tcommondir",
                "nested-config\t/workspace/sub/.git/config\tcore.fsmonitor ",
                "");
        Inspector.Report report = Inspector.classify(planted);
        for (String area : List.of("socket", "credential", "env", "capability", "tamper", "mount")) {
            assertTrue(report.findings().stream().anyMatch(f -> f.area().equals(area)
                    && f.severity() == Inspector.Severity.HIGH && !f.fix().equals("-")), area + " " + report);
        }
        assertTrue(report.findings().stream().anyMatch(f -> f.subject().equals("/workspace/.git")
                && f.detail().contains("not a mount point")), report.findings()::toString);
        assertEquals(Inspector.Severity.MEDIUM, report.findings().stream()
                .filter(f -> f.subject().equals("GITHUB_TOKEN")).findFirst().orElseThrow().severity());
        assertEquals(2, report.findings().stream().filter(f -> f.area().equals("socket")
                && f.severity() == Inspector.Severity.HIGH).count());
    }

    @Test
    void aContainerWithoutAWorkspaceRepositoryIsNotFlaggedForItsMissingGitMount() {
        String verifyContainer = CLEAN.replace("protected\t/workspace/.git\tread-only", "protected\t/workspace/.git\tabsent")
                .replace("mount\t/workspace/.git\t/home/me/repo/.git\tro\text4\n", "");
        assertFalse(Inspector.classify(verifyContainer).anyHigh());
        String creatable = verifyContainer.replace("/workspace/.git\tabsent", "/workspace/.git\tcreatable");
        assertTrue(Inspector.classify(creatable).anyHigh(), "an agent that can create .git can plant a config");
    }

    @Test
    void aSocketTheAgentCannotReachIsOnlyInfo() {
        Inspector.Report report = Inspector.classify(CLEAN + "socket\t/tmp/vscode-ssh-auth-1.sock\tno\n");
        assertFalse(report.anyHigh(), report.findings()::toString);
    }

    @Test
    void aFirewallNotInForceOrAbsentIsHigh() {
        String notInForce = CLEAN.replace("firewall\tresult=ok", "firewall\tresult=not-in-force\nfirewall\tproblem=x");
        assertTrue(only(Inspector.classify(notInForce), "firewall").detail().contains("NOT in force"));
        assertTrue(only(Inspector.classify(CLEAN.replace("result=ok", "result=absent")), "firewall").detail()
                .contains("no claude-devc firewall"));
    }

    @Test
    void theProbeGetsEveryProtectedPathInTheWorkspaceAndTheGitView() {
        List<String> paths = Inspector.containerPaths(ProtectedPaths.defaults(".devcontainer", "claude-devc.yaml"));
        assertTrue(paths.containsAll(List.of("/workspace/.git", "/workspace/.devcontainer", "/workspace/claude-devc.yaml",
                "/workspace/.git/config", "/var/lib/claude-devc/git/config", "/var/lib/claude-devc/git/hooks",
                "/workspace/.vscode", "/workspace/.claude")), paths::toString);
        List<String> command = Inspector.command(ProtectedPaths.defaults(".devcontainer", "claude-devc.yaml"));
        assertEquals(List.of("/usr/bin/env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "/bin/sh", "-c"),
                command.subList(0, 5));
    }
}
