package dev.claudedevc.validate;

import dev.claudedevc.model.ImageLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a compiled firewall policy ({@link ImageLayout#COMPILED_POLICY}) against what the same compiler writes
 * for the descriptor ({@code generate.FirewallCompiler}, re-rendered by the caller): every file present and equal
 * byte for byte, the header's SHA-256 of each file right, and, for an installed copy (a container's
 * {@value ImageLayout#POLICY_DIR}), each file root-owned and writable by root alone. The firewall script checks
 * the same at every start (its own grammar, one awk pass); {@code CompiledPolicyVerdictIT} proves the two refuse
 * the same corrupted inputs.
 */
public final class CompiledPolicyCheck {

    /**
     * A file as found.
     *
     * @param content its bytes
     * @param owner   for an installed copy: uid, gid and the octal mode ({@code 0 0 644}); empty for a checkout
     */
    public record Found(byte[] content, Optional<String> owner) {
        public Found {
            content = content.clone();
        }

        public static Found inCheckout(byte[] content) {
            return new Found(content, Optional.empty());
        }
    }

    private CompiledPolicyCheck() {
    }

    /**
     * @param expected what the compiler writes, by file name in the output folder
     * @param found    what is there, by the same names (a missing file is absent)
     * @return problems, empty when the compiled policy is the descriptor's and intact
     */
    public static List<String> check(Map<String, String> expected, Map<String, Found> found) {
        List<String> problems = new ArrayList<>();
        Optional<String> header = Optional.ofNullable(found.get(ImageLayout.POLICY_HEADER.name()))
                .map(f -> new String(f.content(), StandardCharsets.UTF_8));
        for (ImageLayout.PlacedFile file : ImageLayout.COMPILED_POLICY) {
            Found f = found.get(file.name());
            if (f == null) {
                problems.add(file.name() + " is missing");
                continue;
            }
            f.owner().ifPresent(owner -> {
                String[] o = owner.split(" ");
                if (!o[0].equals("0") || !o[1].equals("0")) {
                    problems.add(file.name() + " is not root-owned (uid " + o[0] + ", gid " + o[1] + ")");
                }
                if (o[2].length() >= 2 && o[2].substring(o[2].length() - 2).matches(".*[2367].*")) {
                    problems.add(file.name() + " is writable by others than root (mode " + o[2] + ")");
                }
            });
            String text = new String(f.content(), StandardCharsets.UTF_8);
            if (file != ImageLayout.POLICY_HEADER && header.isPresent()
                    && !header.get().contains("\nfile " + file.fileName() + " " + sha256(f.content()) + "\n")) {
                problems.add(file.name() + ": its SHA-256 differs from the one the header records");
            }
            String want = expected.get(file.name());
            if (want != null && !want.equals(text)) {
                problems.add(file.name() + " differs from what the descriptor compiles to (line "
                        + firstDifference(want, text) + "; run claude-devc generate)");
            }
        }
        return problems;
    }

    private static int firstDifference(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (!x[i].equals(y[i])) {
                return i + 1;
            }
        }
        return Math.min(x.length, y.length);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
