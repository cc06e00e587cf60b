package dev.claudedevc.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code .devcontainer/claude-devc.sha256}: the SHA-256 of every file claude-devc generated, in
 * {@code sha256sum} format. It tells a file claude-devc may re-render (unchanged since it wrote it) from one a
 * user edited (which is never overwritten without {@code --force}).
 */
public final class Manifest {

    static final String FILE = "claude-devc.sha256";
    /** A path as the generator writes them: relative, below the output folder, no {@code ..}. */
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)*");

    private Manifest() {
    }

    static GeneratedFile of(GeneratedTree tree) {
        StringBuilder out = new StringBuilder();
        for (GeneratedFile file : tree.files()) {
            out.append(sha256(file.content())).append("  ").append(file.path()).append('\n');
        }
        return GeneratedFile.text(FILE, out.toString(), false);
    }

    /** Whether claude-devc rendered into {@code outputDir} (its manifest is there). */
    public static boolean exists(Path outputDir) {
        return Files.isRegularFile(outputDir.resolve(FILE), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The hashes recorded by the last generation in {@code outputDir}, or none. Lines that are not a hash and a
     * path below {@code outputDir} are ignored: what they name is never replaced or deleted without {@code --force}.
     */
    public static Map<String, String> read(Path outputDir) {
        Map<String, String> hashes = new TreeMap<>();
        Path file = outputDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return hashes;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int split = line.indexOf("  ");
                if (split == 64 && line.substring(0, 64).matches("[0-9a-f]{64}")
                        && PATH.matcher(line.substring(66)).matches()) {
                    hashes.put(line.substring(66), line.substring(0, 64));
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        hashes.put(FILE, sha256OfFile(file));
        return hashes;
    }

    private static String sha256OfFile(Path file) {
        try {
            return sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            return "";
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
