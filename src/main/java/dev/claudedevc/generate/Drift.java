package dev.claudedevc.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares a rendered tree with the files on disk: what {@code generate --check} reports, as unified diffs
 * ({@code a/} is what is committed, {@code b/} what the descriptor renders).
 */
public final class Drift {

    private static final int CONTEXT = 3;

    private Drift() {
    }

    /**
     * One drifted file.
     *
     * @param path relative path below the output folder
     * @param diff a unified diff, or a one-line explanation for missing files and mode changes
     */
    public record Difference(String path, String diff) {
    }

    public static List<Difference> check(Path root, GeneratedTree tree) {
        List<Difference> out = new ArrayList<>();
        for (GeneratedFile file : tree.files()) {
            Path disk = root.resolve(file.path());
            if (!Files.isRegularFile(disk)) {
                out.add(new Difference(file.path(), "missing: " + file.path() + " (run claude-devc generate)\n"));
                continue;
            }
            try {
                byte[] actual = Files.readAllBytes(disk);
                if (!file.sameContent(actual)) {
                    out.add(new Difference(file.path(), unified(file.path(),
                            new String(actual, StandardCharsets.UTF_8), file.text())));
                } else if (file.executable() && !Files.isExecutable(disk)) {
                    out.add(new Difference(file.path(), "mode: " + file.path() + " should be executable (0755)\n"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** A unified diff of two texts, with {@value #CONTEXT} lines of context. */
    static String unified(String path, String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        // Longest common subsequence table, from the end (files here are small).
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        // Edit script: ' ' keep, '-' delete from a, '+' insert from b; with positions in a and b.
        List<char[]> ops = new ArrayList<>();
        List<int[]> pos = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                ops.add(new char[] {' '});
                pos.add(new int[] {i++, j++});
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                ops.add(new char[] {'+'});
                pos.add(new int[] {i, j++});
            } else {
                ops.add(new char[] {'-'});
                pos.add(new int[] {i++, j});
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("--- a/").append(path).append('\n').append("+++ b/").append(path).append('\n');
        int k = 0;
        while (k < ops.size()) {
            if (ops.get(k)[0] == ' ') {
                k++;
                continue;
            }
            int start = Math.max(0, k - CONTEXT);
            int end = k;
            // Extend the hunk while changes are within 2*CONTEXT of each other.
            int lastChange = k;
            while (end < ops.size()) {
                if (ops.get(end)[0] != ' ') {
                    lastChange = end;
                } else if (end - lastChange > 2 * CONTEXT) {
                    break;
                }
                end++;
            }
            end = Math.min(ops.size(), lastChange + CONTEXT + 1);
            int aStart = pos.get(start)[0];
            int bStart = pos.get(start)[1];
            int aCount = 0;
            int bCount = 0;
            StringBuilder body = new StringBuilder();
            for (int h = start; h < end; h++) {
                char op = ops.get(h)[0];
                int[] p = pos.get(h);
                String line = op == '+' ? b.get(p[1]) : a.get(p[0]);
                body.append(op).append(line).append('\n');
                if (op != '+') {
                    aCount++;
                }
                if (op != '-') {
                    bCount++;
                }
            }
            out.append("@@ -").append(range(aStart, aCount)).append(" +").append(range(bStart, bCount))
                    .append(" @@\n").append(body);
            k = end;
        }
        return out.toString();
    }

    private static String range(int start, int count) {
        int first = count == 0 ? start : start + 1;
        return count == 1 ? String.valueOf(first) : first + "," + count;
    }

    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return Arrays.asList(body.split("\n", -1));
    }
}
