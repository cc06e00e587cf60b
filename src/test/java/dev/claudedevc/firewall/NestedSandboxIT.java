package dev.claudedevc.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.firewall.DevContainer.Exec;
import dev.claudedevc.model.ImageLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Claude Code's nested Bash sandbox inside the firewalled container, as the agent's user, under the generated
 * seccomp profile: bubblewrap creates its user, mount and network namespaces and runs a command the way Claude Code's
 * weaker nested mode does (the container's /proc bound, not a fresh one mounted); with a fresh /proc (the mode
 * without the flag) it fails as the docs describe; inside it the firewall and the read-only files stay out of
 * reach. Under Docker's default profile bubblewrap cannot start at all. The syscalls Docker's default profile blocks
 * stay blocked under the generated one (x86_64 syscall numbers, called through perl).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NestedSandboxIT {

    /** What Claude Code's nested mode runs, in essence: new namespaces, the root read-only, /proc bound. */
    private static final String BWRAP = "bwrap --new-session --unshare-user --unshare-net"
            + " --unshare-pid --ro-bind / / --dev /dev --bind /proc /proc --tmpfs /tmp -- ";

    /** x86_64 numbers of syscalls Docker's default profile refuses, with arguments a kernel would accept or not. */
    private static final Map<String, String> BLOCKED = new LinkedHashMap<>();

    static {
        BLOCKED.put("keyctl", "250, 0, -3, 0");          // KEYCTL_GET_KEYRING_ID of the session keyring
        BLOCKED.put("add_key", "248, \"user\", \"k\", \"v\", 1, -3");
        BLOCKED.put("request_key", "249, \"user\", \"k\", 0, 0");
        BLOCKED.put("bpf", "321, 0, 0, 0");
        BLOCKED.put("kexec_load", "246, 0, 0, 0, 0");
        BLOCKED.put("kexec_file_load", "320, -1, -1, 0, 0, 0");
        BLOCKED.put("init_module", "175, 0, 0, 0");
        BLOCKED.put("finit_module", "313, -1, 0, 0");
        BLOCKED.put("delete_module", "176, \"x\", 0");
        BLOCKED.put("open_by_handle_at", "304, -1, 0, 0");
        BLOCKED.put("name_to_handle_at", "303, -1, \"/\", 0, 0, 0");
        BLOCKED.put("perf_event_open", "298, 0, 0, -1, -1, 0");
        BLOCKED.put("userfaultfd", "323, 0");
        BLOCKED.put("setns", "308, -1, 0");
        BLOCKED.put("swapon", "167, \"/x\", 0");
        BLOCKED.put("acct", "163, 0");
        BLOCKED.put("settimeofday", "164, 0, 0");
        BLOCKED.put("io_uring_setup", "425, 1, 0");
        BLOCKED.put("fsopen", "430, \"tmpfs\", 0");
    }

    private FirewallLab lab;
    private String profile;

    @BeforeAll
    void lab() {
        lab = FirewallLab.shared();
        profile = lab.generatedFile(FirewallLab.Variant.ENFORCE, ImageLayout.SECCOMP_FILE);
    }

    private static String errno(DevContainer dev, String call) {
        return dev.asUser("perl -e 'my @a = (" + call + "); $! = 0; my $r = syscall($a[0], @a[1 .. $#a]);"
                + " print $r == -1 ? 0 + $! : \"ok\"'").out().strip();
    }

    @Test
    void bubblewrapRunsAsTheAgentUnderTheGeneratedProfileAndCannotTouchTheFirewall() {
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE, List.of("seccomp=" + profile))) {
            dev.applyFirewall().succeeds();
            Exec inside = dev.asUser(BWRAP + "sh -c 'id -u; ip -o link | wc -l; echo ran'").succeeds();
            assertTrue(inside.out().endsWith("ran\n"), inside::text);
            assertEquals("1", inside.out().split("\n")[1].strip(), "only loopback in its network namespace: "
                    + inside.out());
            // Claude Code's mode without enableWeakerNestedSandbox mounts a fresh /proc: refused in a container.
            Exec freshProc = dev.asUser(BWRAP.replace("--bind /proc /proc", "--proc /proc") + "true").fails();
            assertTrue(freshProc.err().contains("Can't mount proc"), freshProc::text);

            // Root of its own namespaces only: the container's firewall, policy and files stay out of reach.
            dev.asUser(BWRAP.replace("--unshare-net ", "") + "iptables -S").fails();
            dev.asUser(BWRAP.replace("--unshare-net ", "") + "ipset list").fails();
            dev.asUser(BWRAP + "sh -c 'echo x >> " + ImageLayout.POLICY + "'").fails();
            dev.asUser(BWRAP + "sh -c 'echo x > " + ImageLayout.MANAGED_SETTINGS + "'").fails();
            dev.asUser("unshare -r -m sh -c 'mount -o remount,rw / && echo remounted'").fails();
            // A mount in its own namespace is its own view only: the container's files stay as they are, and sudo
            // (setuid root, and root is not mapped there) gives nothing inside it.
            String before = dev.asUser("sha256sum " + ImageLayout.FIREWALL).succeeds().out();
            dev.asUser("unshare -r -m sh -c 'mount --bind /tmp /usr/local/sbin && touch /usr/local/sbin/x'");
            dev.asUser("test -e /usr/local/sbin/x").fails();
            assertEquals(before, dev.asUser("sha256sum " + ImageLayout.FIREWALL).succeeds().out());
            dev.asUser("unshare -r sh -c 'sudo -n " + ImageLayout.FIREWALL + " status'").fails();
            dev.status().succeeds();
            dev.connect4("blocked.test", 443).fails();
            dev.connect4("allowed.test", 443).reaches("allowed");

            for (Map.Entry<String, String> call : BLOCKED.entrySet()) {
                assertEquals("1", errno(dev, call.getValue()), call.getKey() + " is refused (EPERM)");
            }
        }
    }

    @Test
    void theBlockedSyscallsAreBlockedByTheProfileNotOnlyByMissingPrivileges() {
        // The probe can tell: without any profile, the keyring calls work for the user.
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE, List.of("seccomp=unconfined"))) {
            assertEquals("ok", errno(dev, BLOCKED.get("keyctl")), "keyctl without a profile");
            assertEquals("ok", errno(dev, BLOCKED.get("add_key")), "add_key without a profile");
            assertNotEquals("1", errno(dev, BLOCKED.get("open_by_handle_at")), "open_by_handle_at without a profile");
        }
        // Docker's default profile refuses bubblewrap's namespaces: why the generated profile exists.
        try (DevContainer dev = lab.start(FirewallLab.Variant.ENFORCE)) {
            Exec refused = dev.asUser(BWRAP + "true").fails();
            assertTrue(refused.err().contains("No permissions to create new namespace"), refused::text);
            for (Map.Entry<String, String> call : BLOCKED.entrySet()) {
                if (!call.getKey().startsWith("io_uring")) { // Docker 20.10's default still allows io_uring
                    assertEquals("1", errno(dev, call.getValue()), call.getKey() + " under Docker's default profile");
                }
            }
        }
    }
}
