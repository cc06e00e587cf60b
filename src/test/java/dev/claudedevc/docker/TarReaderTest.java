package dev.claudedevc.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive reader against tar streams written by the build context packer (ustar), and its size cap. */
class TarReaderTest {

    @Test
    void regularFilesComeBackByNameWithTheirBytes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("dns.log"), "Nov 28 18:07:42 dnsmasq[56]: started\n");
        Files.write(dir.resolve("dns.log.1"), new byte[1500]);
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/x"), "x");
        Map<String, byte[]> files = TarReader.regularFiles(new ByteArrayInputStream(BuildContext.tar(dir)), 1 << 20);
        assertEquals(List.of("dns.log", "dns.log.1", "sub/x"), files.keySet().stream().sorted().toList());
        assertEquals("Nov 28 18:07:42 dnsmasq[56]: started\n", new String(files.get("dns.log"), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[1500], files.get("dns.log.1"));
    }

    @Test
    void moreThanTheCapIsRefused(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("big"), new byte[4096]);
        byte[] tar = BuildContext.tar(dir);
        IOException e = assertThrows(IOException.class,
                () -> TarReader.regularFiles(new ByteArrayInputStream(tar), 4095));
        assertEquals("archive over 4095 bytes", e.getMessage());
    }

    @Test
    void aTruncatedArchiveIsAnError(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("f"), new byte[2048]);
        byte[] tar = BuildContext.tar(dir);
        byte[] cut = java.util.Arrays.copyOf(tar, 1024);
        assertThrows(IOException.class, () -> TarReader.regularFiles(new ByteArrayInputStream(cut), 1 << 20));
    }
}
