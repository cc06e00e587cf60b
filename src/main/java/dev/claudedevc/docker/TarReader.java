package dev.claudedevc.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the regular files of a tar stream as the engine's archive endpoint writes it (POSIX ustar, with PAX
 * extended headers for long names): names from the header (a PAX {@code path} record wins), everything but
 * regular files skipped.
 */
final class TarReader {

    private static final int BLOCK = 512;

    private TarReader() {
    }

    static Map<String, byte[]> regularFiles(InputStream in, long maxBytes) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] header = new byte[BLOCK];
        long total = 0;
        String paxPath = null;
        while (readBlock(in, header)) {
            if (isZero(header)) {
                break;
            }
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = octal(header, 124, 12);
            char type = (char) header[156];
            if (size < 0 || total + size > maxBytes) {
                throw new IOException("archive over " + maxBytes + " bytes");
            }
            total += size;
            byte[] body = readBody(in, size);
            if (type == 'x') {
                paxPath = paxPath(body);
                continue;
            }
            if (type == '0' || type == '\0') {
                files.put(paxPath != null ? paxPath : name, body);
            }
            paxPath = null;
        }
        return files;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new IOException("truncated archive");
        }
        return true;
    }

    private static byte[] readBody(InputStream in, long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(size, 1 << 20));
        byte[] block = new byte[BLOCK];
        for (long left = size; left > 0; left -= BLOCK) {
            if (!readBlock(in, block)) {
                throw new IOException("truncated archive");
            }
            out.write(block, 0, (int) Math.min(left, BLOCK));
        }
        return out.toByteArray();
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) {
        String t = text(b, off, len).trim();
        if (!t.matches("[0-7]{1,11}")) {
            return -1;
        }
        return Long.parseLong(t, 8);
    }

    /** The {@code path} record of a PAX extended header ({@code "<len> path=<value>\n"} records), if any. */
    private static String paxPath(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        for (String record : text.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }
}
