package dev.claudedevc.generate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One output file.
 *
 * @param path       relative path below {@code .devcontainer/}, with {@code /} separators
 * @param content    its bytes (text files end with LF)
 * @param executable whether it is written 0755 (else 0644)
 */
public record GeneratedFile(String path, byte[] content, boolean executable) {

    public GeneratedFile {
        Objects.requireNonNull(path, "path");
        content = content.clone();
    }

    static GeneratedFile text(String path, String text, boolean executable) {
        String normalized = text.replace("\r\n", "\n");
        if (!normalized.endsWith("\n")) {
            normalized += "\n";
        }
        return new GeneratedFile(path, normalized.getBytes(StandardCharsets.UTF_8), executable);
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    public boolean sameContent(byte[] other) {
        return Arrays.equals(content, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeneratedFile f && f.path.equals(path) && Arrays.equals(f.content, content)
                && f.executable == executable;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, Arrays.hashCode(content), executable);
    }

    @Override
    public String toString() {
        return path + (executable ? " (0755, " : " (0644, ") + content.length + " bytes)";
    }
}
