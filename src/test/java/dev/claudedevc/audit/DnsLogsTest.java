package dev.claudedevc.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rotated logs are read oldest first (dns.log.2, dns.log.1, dns.log); other files are ignored. */
class DnsLogsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rotatedFilesComeFirstOldestFirst() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("claude-devc/dns.log", b("current\n"));
        files.put("claude-devc/dns.log.1", b("newer"));
        files.put("claude-devc/dns.log.10", b("oldest\n"));
        files.put("claude-devc/dns.log.2", b("older\n"));
        files.put("claude-devc/other.log", b("ignored\n"));
        files.put("claude-devc/dns.log.x", b("ignored\n"));
        assertEquals("oldest\nolder\nnewer\ncurrent\n", DnsLogs.joined(files));
        assertTrue(DnsLogs.hasLog(files));
    }

    @Test
    void withoutTheCurrentLogThereIsNoLog() {
        assertFalse(DnsLogs.hasLog(Map.of("claude-devc/dns.log.1", b("x"))));
        assertTrue(DnsLogs.hasLog(Map.of("claude-devc/dns.log", b(""))));
    }
}
