package dev.claudedevc.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resolver's log and its rotated files ({@code dns.log.1} is the newest rotated one, as the firewall's rotator
 * names them), joined oldest first, so the audit reads everything still kept.
 */
public final class DnsLogs {

    private static final Pattern NAME = Pattern.compile("(?:.*/)?dns\\.log(?:\\.([1-9][0-9]{0,2}))?");

    private DnsLogs() {
    }

    /** Whether the current log ({@code dns.log}) is among the files. */
    public static boolean hasLog(Map<String, byte[]> files) {
        return files.keySet().stream().anyMatch(name -> name.equals("dns.log") || name.endsWith("/dns.log"));
    }

    /** @param files contents by path (any folder prefix); other names are ignored */
    public static String joined(Map<String, byte[]> files) {
        List<Map.Entry<Integer, byte[]>> logs = new ArrayList<>();
        files.forEach((name, body) -> {
            Matcher m = NAME.matcher(name);
            if (m.matches()) {
                logs.add(Map.entry(m.group(1) == null ? 0 : Integer.parseInt(m.group(1)), body));
            }
        });
        logs.sort(Map.Entry.<Integer, byte[]>comparingByKey().reversed());
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Integer, byte[]> log : logs) {
            String text = new String(log.getValue(), StandardCharsets.UTF_8);
            out.append(text);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }
}
