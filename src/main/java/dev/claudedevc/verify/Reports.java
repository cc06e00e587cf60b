package dev.claudedevc.verify;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** A verification report as a table for people, data for the command's JSON result, or JUnit XML for CI systems. */
public final class Reports {

    static final int OUTPUT_LINES = 15;

    private Reports() {
    }

    /**
     * The table (probe, expected, observed, result), a result line, then the output of each failed probe.
     */
    public static String table(VerifyReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PROBE", "EXPECTED", "OBSERVED", "RESULT"});
        for (ProbeResult r : report.results()) {
            rows.add(new String[] {r.name(), r.expected(), r.observed(), r.status() == ProbeStatus.SKIP ? "n/a"
                    : r.status().name()});
        }
        int[] width = new int[3];
        for (String[] row : rows) {
            for (int i = 0; i < 3; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < 3; i++) {
                out.append(row[i]).append(" ".repeat(width[i] - row[i].length() + 2));
            }
            out.append(row[3]).append('\n');
        }
        out.append('\n').append(summary(report)).append('\n');
        List<ProbeResult> failures = report.failures();
        for (ProbeResult f : failures) {
            if (f.output().isBlank()) {
                continue;
            }
            out.append('\n').append(f.name()).append(": expected ").append(f.expected()).append(", observed ")
                    .append(f.observed()).append('\n');
            for (String line : lastLines(f.output())) {
                out.append("  | ").append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** {@code Result: PASS (15 probes passed, 0 failed, 2 n/a) …}: not the shape a test runner's summary has. */
    static String summary(VerifyReport report) {
        return "Result: " + (report.passed() ? "PASS" : "FAIL") + " (" + report.count(ProbeStatus.PASS)
                + " probes passed, " + report.count(ProbeStatus.FAIL) + " failed, " + report.count(ProbeStatus.SKIP)
                + " n/a) for " + report.image() + " on " + report.network()
                + (report.internal() ? " (internal)" : "") + (report.ipv6() ? ", IPv4+IPv6" : ", IPv4 only")
                + String.format(Locale.ROOT, ", %.1f s", report.duration().toMillis() / 1000.0);
    }

    /**
     * The report as data for the command's JSON result (whose outcome is {@code pass} or {@code fail}, from
     * {@link VerifyReport#passed()}): the image, the network, counts, and every probe.
     */
    public static Map<String, Object> data(VerifyReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("image", report.image());
        root.put("imageId", report.imageId());
        Map<String, Object> network = new LinkedHashMap<>();
        network.put("name", report.network());
        network.put("internal", report.internal());
        network.put("ipv6", report.ipv6());
        root.put("network", network);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("passed", report.count(ProbeStatus.PASS));
        counts.put("failed", report.count(ProbeStatus.FAIL));
        counts.put("notApplicable", report.count(ProbeStatus.SKIP));
        root.put("counts", counts);
        List<Map<String, Object>> probes = new ArrayList<>();
        for (ProbeResult r : report.results()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", r.id());
            p.put("probe", r.name());
            p.put("expected", r.expected());
            p.put("observed", r.observed());
            p.put("result", switch (r.status()) {
                case PASS -> "pass";
                case FAIL -> "fail";
                case SKIP -> "n/a";
            });
            if (!r.output().isBlank()) {
                p.put("output", String.join("\n", lastLines(r.output())));
            }
            p.put("millis", r.duration().toMillis());
            probes.add(p);
        }
        root.put("probes", probes);
        root.put("millis", report.duration().toMillis());
        return root;
    }

    /** A JUnit XML test suite: one test case per probe, failures with their output, n/a as skipped. */
    public static String junit(VerifyReport report) {
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", "claude-devc verify " + report.image());
            xml.writeAttribute("tests", Integer.toString(report.results().size()));
            xml.writeAttribute("failures", Long.toString(report.count(ProbeStatus.FAIL)));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("skipped", Long.toString(report.count(ProbeStatus.SKIP)));
            xml.writeAttribute("time", seconds(report.duration().toMillis()));
            xml.writeCharacters("\n  ");
            xml.writeStartElement("properties");
            property(xml, "image", report.image());
            property(xml, "imageId", report.imageId());
            property(xml, "network", report.network());
            xml.writeEndElement();
            for (ProbeResult r : report.results()) {
                xml.writeCharacters("\n  ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", "claude-devc.verify");
                xml.writeAttribute("name", r.id() + ": " + r.name());
                xml.writeAttribute("time", seconds(r.duration().toMillis()));
                String message = "expected " + r.expected() + ", observed " + r.observed();
                if (r.status() == ProbeStatus.FAIL) {
                    xml.writeStartElement("failure");
                    xml.writeAttribute("message", message);
                    xml.writeAttribute("type", "probe");
                    xml.writeCharacters(r.output().isBlank() ? message : String.join("\n", lastLines(r.output())));
                    xml.writeEndElement();
                } else if (r.status() == ProbeStatus.SKIP) {
                    xml.writeEmptyElement("skipped");
                    xml.writeAttribute("message", r.observed());
                } else {
                    xml.writeStartElement("system-out");
                    xml.writeCharacters(message);
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", name);
        xml.writeAttribute("value", value);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    /** The last {@value #OUTPUT_LINES} non-blank lines, without control characters XML cannot carry. */
    static List<String> lastLines(String output) {
        List<String> lines = output.lines().map(l -> l.replaceAll("[\\p{Cntrl}&&[^\t]]", "").stripTrailing())
                .filter(l -> !l.isBlank()).toList();
        return lines.subList(Math.max(0, lines.size() - OUTPUT_LINES), lines.size());
    }
}
