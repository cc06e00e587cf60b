package dev.claudedevc.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build context keeps what the generator wrote: names, bytes and file modes (a script stays executable). */
class BuildContextTest {

    @TempDir
    Path dir;

    @Test
    void archiveKeepsModesContentsAndSortedNames() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        Path script = Files.writeString(dir.resolve("claude-devc-firewall.sh"), "#!/bin/bash\necho hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path policy = Files.writeString(dir.resolve("claude-devc-policy.conf"), "version 1\n");
        Files.setPosixFilePermissions(policy, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createDirectories(dir.resolve("ca-certificates"));
        Files.writeString(dir.resolve("ca-certificates/corp.crt"), "x".repeat(700));

        Map<String, String> entries = new LinkedHashMap<>();
        Map<String, String> contents = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(BuildContext.tar(dir)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries.put(e.getName(), Integer.toOctalString(e.getMode() & 07777) + " " + e.getLongUserId() + ":"
                        + e.getLongGroupId());
                if (e.isFile()) {
                    contents.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertEquals(java.util.List.of("Dockerfile", "ca-certificates/", "ca-certificates/corp.crt",
                "claude-devc-firewall.sh", "claude-devc-policy.conf"), java.util.List.copyOf(entries.keySet()));
        assertEquals("755 0:0", entries.get("claude-devc-firewall.sh"));
        assertEquals("644 0:0", entries.get("claude-devc-policy.conf"));
        assertEquals("#!/bin/bash\necho hi\n", contents.get("claude-devc-firewall.sh"));
        assertEquals(700, contents.get("ca-certificates/corp.crt").length());
    }

    @Test
    void longPathsUseTheUstarPrefix() throws IOException {
        Path deep = dir.resolve("a".repeat(60)).resolve("b".repeat(60));
        Files.createDirectories(deep);
        Files.writeString(deep.resolve("file.txt"), "deep");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(BuildContext.tar(dir)))) {
            TarArchiveEntry e;
            String last = null;
            while ((e = tar.getNextEntry()) != null) {
                last = e.getName();
            }
            assertEquals("a".repeat(60) + "/" + "b".repeat(60) + "/file.txt", last);
        }
    }

    @Test
    void filesForAContainerAreRootOwnedWithTheirFoldersAndNothingOutsideTheTarget() throws IOException {
        byte[] tar = BuildContext.tar(Map.of("etc/claude-devc/policy.conf", "version 1\n".getBytes(
                StandardCharsets.UTF_8), "etc/claude-code/managed-settings.json", "{}".getBytes(StandardCharsets.UTF_8)));
        Map<String, String> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries.put(e.getName(), Integer.toOctalString(e.getMode() & 07777) + " " + e.getLongUserId() + ":"
                        + e.getLongGroupId() + " " + e.getSize());
            }
        }
        assertEquals(Map.of("etc/", "755 0:0 0", "etc/claude-code/", "755 0:0 0",
                "etc/claude-code/managed-settings.json", "644 0:0 2", "etc/claude-devc/", "755 0:0 0",
                "etc/claude-devc/policy.conf", "644 0:0 10"), entries);
        assertEquals(java.util.List.of("etc/", "etc/claude-code/", "etc/claude-code/managed-settings.json",
                "etc/claude-devc/", "etc/claude-devc/policy.conf"), java.util.List.copyOf(entries.keySet()));
        for (String bad : new String[] {"../etc/passwd", "/etc/passwd", "a/../../b", "a//b", "a b", ""}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> BuildContext.tar(Map.of(bad, new byte[0])), bad);
        }
    }
}
