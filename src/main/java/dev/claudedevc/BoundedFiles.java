package dev.claudedevc;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reading what a user names: only regular files (a FIFO would block for ever, {@code /dev/zero} never ends, a
 * folder is not a file), checked before opening; never more than a cap; URLs with connect and read timeouts.
 */
public final class BoundedFiles {

    /** How long a URL may take to connect, and then between bytes. */
    public static final Duration URL_TIMEOUT = Duration.ofSeconds(10);

    private BoundedFiles() {
    }

    /**
     * The bytes of a regular file of at most {@code max} bytes.
     *
     * @param kind the failure's kind (so its exit code) when the file is not one to read
     */
    public static byte[] read(Path file, long max, ClaudeDevcException.Kind kind, String shown) {
        if (!Files.exists(file)) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, shown + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new ClaudeDevcException(kind, shown + ": not a regular file (" + (Files.isDirectory(file)
                    ? "a folder" : "a pipe, device or socket, which could block or never end") + ")");
        }
        try {
            long size = Files.size(file);
            if (size > max) {
                throw new ClaudeDevcException(kind, shown + ": " + size + " bytes is over the " + max
                        + "-byte limit");
            }
            try (InputStream in = Files.newInputStream(file)) {
                return bounded(in, max, kind, shown);
            }
        } catch (NoSuchFileException e) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, shown + ": no such file");
        } catch (IOException e) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, shown + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The body of an http(s) or file URL, at most {@code max} bytes, with {@link #URL_TIMEOUT}. */
    public static byte[] read(URI url, long max, ClaudeDevcException.Kind kind) {
        if (url.getScheme() != null && url.getScheme().equals("file")) {
            Path path = Path.of(url);
            return read(path, max, kind, path.toString());
        }
        try {
            URLConnection connection = url.toURL().openConnection();
            connection.setConnectTimeout((int) URL_TIMEOUT.toMillis());
            connection.setReadTimeout((int) URL_TIMEOUT.toMillis());
            try (InputStream in = connection.getInputStream()) {
                return bounded(in, max, kind, url.toString());
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, url + ": no answer within "
                    + URL_TIMEOUT.toSeconds() + " s", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, url + ": cannot be fetched: " + e.getMessage(), e);
        }
    }

    private static byte[] bounded(InputStream in, long max, ClaudeDevcException.Kind kind, String shown)
            throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        if (bytes.length > max) {
            throw new ClaudeDevcException(kind, shown + ": over the " + max + "-byte limit");
        }
        return bytes;
    }
}
