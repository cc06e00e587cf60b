package dev.claudedevc.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Packs a build context folder as a POSIX ustar archive, the form the engine's build endpoint takes. Entries are
 * sorted; each keeps its file mode (a script stays 0755), owner and group are root, so the image gets the modes the
 * generator wrote. On a file system without POSIX permissions, {@code *.sh} files get 0755 and others 0644.
 */
final class BuildContext {

    private static final int BLOCK = 512;

    private BuildContext() {
    }

    /** The folder as a tar archive in memory (a rendered {@code .devcontainer/} is a few kilobytes). */
    static byte[] tar(Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(dir, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack the build context " + dir + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * A tar of these files (by relative path), each root-owned 0644, with a root-owned 0755 entry for every folder on
     * their paths, in sorted order and with time 0 (the same files give the same bytes).
     *
     * @throws IllegalArgumentException for a path that is absolute, empty or has {@code .}/{@code ..} segments
     */
    static byte[] tar(java.util.Map<String, byte[]> files) {
        java.util.SortedMap<String, byte[]> entries = new java.util.TreeMap<>();
        files.forEach((path, content) -> {
            if (!path.matches("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*") || List.of(path.split("/")).stream()
                    .anyMatch(p -> p.equals(".") || p.equals(".."))) {
                throw new IllegalArgumentException("not a relative file path: " + path);
            }
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                entries.putIfAbsent(path.substring(0, slash) + "/", null);
            }
            entries.put(path, content);
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (var entry : entries.entrySet()) {
                if (entry.getValue() == null) {
                    writeHeader(out, entry.getKey(), 0755, 0, 0, '5');
                } else {
                    writeHeader(out, entry.getKey(), 0644, entry.getValue().length, 0, '0');
                    out.write(entry.getValue());
                    pad(out, entry.getValue().length);
                }
            }
            out.write(new byte[BLOCK * 2]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void write(Path dir, OutputStream out) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.filter(p -> !p.equals(dir)).sorted().toList();
        }
        for (Path path : paths) {
            String name = dir.relativize(path).toString().replace('\\', '/');
            long mtime = Files.getLastModifiedTime(path).toMillis() / 1000;
            if (Files.isDirectory(path)) {
                writeHeader(out, name + "/", mode(path, true), 0, mtime, '5');
            } else if (Files.isRegularFile(path)) {
                byte[] content = Files.readAllBytes(path);
                writeHeader(out, name, mode(path, false), content.length, mtime, '0');
                out.write(content);
                pad(out, content.length);
            }
        }
        out.write(new byte[BLOCK * 2]);
    }

    static int mode(Path path, boolean directory) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (posix == null) {
            return directory || path.getFileName().toString().endsWith(".sh") ? 0755 : 0644;
        }
        Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }

    private static void writeHeader(OutputStream out, String name, int mode, long size, long mtime, char type)
            throws IOException {
        byte[] header = new byte[BLOCK];
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        String prefix = "";
        if (nameBytes.length > 100) {
            int slash = name.lastIndexOf('/', name.length() - 2);
            if (slash <= 0 || name.substring(0, slash).getBytes(StandardCharsets.UTF_8).length > 155
                    || name.substring(slash + 1).getBytes(StandardCharsets.UTF_8).length > 100) {
                throw new IOException("path too long for the build context: " + name);
            }
            prefix = name.substring(0, slash);
            nameBytes = name.substring(slash + 1).getBytes(StandardCharsets.UTF_8);
        }
        System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, size);
        octal(header, 136, 12, mtime);
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        header[156] = (byte) type;
        ascii(header, 257, "ustar\0");
        ascii(header, 263, "00");
        ascii(header, 265, "root");
        ascii(header, 297, "root");
        byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(prefixBytes, 0, header, 345, prefixBytes.length);
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(header, 148, 7, sum);
        out.write(header);
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > length - 1) {
            throw new IllegalArgumentException("value too large for a tar header: " + value);
        }
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        ascii(header, offset, padded);
        header[offset + length - 1] = 0;
    }

    private static void ascii(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private static void pad(OutputStream out, long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }
}
