package dev.claudedevc.generate;

import dev.claudedevc.model.ImageLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The container's seccomp profile ({@value ImageLayout#SECCOMP_FILE}), written by claude-devc so that Claude Code's
 * Bash sandbox (bubblewrap) can create its user, mount and network namespaces as the unprivileged agent, which
 * Docker's default profile forbids without CAP_SYS_ADMIN.
 *
 * <p>It is a deny list, built from Docker's documentation of its default profile ("Significant syscalls blocked by
 * the default profile", docs.docker.com/engine/security/seccomp): every syscall listed there stays refused
 * (EPERM), except the four bubblewrap needs to build its sandbox — {@code unshare} and {@code clone} with namespace
 * flags, {@code mount}/{@code umount2} and {@code pivot_root} — which the kernel then permits only inside a user
 * namespace the caller created (it holds no capability in the container's own namespaces, so the firewall, the
 * read-only mounts and the container's network stay out of reach). The kernel's own module, keyring, BPF, kexec,
 * clock and swap syscalls, the handle-based file access Docker refuses, and the newer mount API and io_uring stay
 * blocked. Unlike Docker's allow list, a syscall added to Linux after this list is allowed.
 */
public final class SeccompProfile {

    /** Refused, each with Docker's documented reason. */
    static final Map<String, String> BLOCKED = blocked();

    private static Map<String, String> blocked() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("acct", "switches process accounting on or off");
        m.put("add_key", "the kernel keyring is not namespaced");
        m.put("bpf", "loads programs into the kernel");
        m.put("clock_adjtime", "the time is not namespaced");
        m.put("clock_settime", "the time is not namespaced");
        m.put("create_module", "kernel modules");
        m.put("delete_module", "kernel modules");
        m.put("finit_module", "kernel modules");
        m.put("get_kernel_syms", "kernel symbols (obsolete)");
        m.put("get_mempolicy", "memory policy of the host's NUMA nodes");
        m.put("init_module", "kernel modules");
        m.put("ioperm", "I/O port access");
        m.put("iopl", "I/O privilege level");
        m.put("kcmp", "inspects other processes' kernel state");
        m.put("kexec_file_load", "loads a new kernel");
        m.put("kexec_load", "loads a new kernel");
        m.put("keyctl", "the kernel keyring is not namespaced");
        m.put("lookup_dcookie", "tracing of the host");
        m.put("mbind", "memory policy of the host's NUMA nodes");
        m.put("move_pages", "memory policy of the host's NUMA nodes");
        m.put("name_to_handle_at", "file handles bypass the mount namespace (with open_by_handle_at)");
        m.put("nfsservctl", "the kernel's NFS server (obsolete)");
        m.put("open_by_handle_at", "opens host files by handle, outside the container's mounts");
        m.put("perf_event_open", "tracing and profiling of the host");
        m.put("query_module", "kernel modules (obsolete)");
        m.put("quotactl", "quotas are not namespaced");
        m.put("reboot", "reboots the host");
        m.put("request_key", "the kernel keyring is not namespaced");
        m.put("set_mempolicy", "memory policy of the host's NUMA nodes");
        m.put("setns", "joins other namespaces");
        m.put("settimeofday", "the time is not namespaced");
        m.put("stime", "the time is not namespaced");
        m.put("swapoff", "the host's swap");
        m.put("swapon", "the host's swap");
        m.put("sysfs", "obsolete");
        m.put("_sysctl", "obsolete");
        m.put("umount", "unmounting outside a user namespace (umount2 stays: bubblewrap needs it)");
        m.put("uselib", "obsolete");
        m.put("userfaultfd", "a common aid to kernel exploits");
        m.put("ustat", "obsolete");
        m.put("vm86", "x86 virtual 8086 mode");
        m.put("vm86old", "x86 virtual 8086 mode");
        // Newer than Docker's table, refused by its profile without CAP_SYS_ADMIN as well.
        for (String call : List.of("fsconfig", "fsmount", "fsopen", "fspick", "move_mount", "open_tree",
                "mount_setattr")) {
            m.put(call, "the new mount API (bubblewrap uses mount)");
        }
        for (String call : List.of("io_uring_setup", "io_uring_enter", "io_uring_register")) {
            m.put(call, "io_uring bypasses seccomp for the operations it performs");
        }
        return m;
    }

    /** Allowed here though Docker's default refuses them without CAP_SYS_ADMIN: what bubblewrap needs. */
    static final List<String> FOR_BUBBLEWRAP = List.of("clone", "unshare", "mount", "umount2", "pivot_root");

    private SeccompProfile() {
    }

    static Map<String, Object> profile() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("defaultAction", "SCMP_ACT_ALLOW");
        root.put("architectures", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64",
                "SCMP_ARCH_ARM"));
        root.put("syscalls", List.of(Map.of("names", List.copyOf(new TreeSet<>(BLOCKED.keySet())),
                "action", "SCMP_ACT_ERRNO", "errnoRet", 1)));
        return root;
    }

    static GeneratedFile render() {
        return GeneratedFile.text(ImageLayout.SECCOMP_FILE, JsonText.of(profile(), 0) + "\n", false);
    }
}
