package dev.claudedevc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The three ways a verification is reported: a table for people, JSON for scripts, JUnit XML for CI. */
class ReportsTest {

    static VerifyReport report() {
        return new VerifyReport("claude-devc/demo:latest", "sha256:abc", "claude-devc-verify-1", true, true, List.of(
                new ProbeResult("firewall", "firewall applies (sudo fw)", "exit 0", "exit 0", ProbeStatus.PASS, "",
                        Duration.ofMillis(700)),
                new ProbeResult("direct-ipv4", "direct IPv4 172.18.0.3:443", "blocked", "connected",
                        ProbeStatus.FAIL, "", Duration.ofMillis(12)),
                new ProbeResult("sudo-args", "sudo firewall with an argument", "refused by sudo",
                        "ran as root: exit 0", ProbeStatus.FAIL, "status: <enforce> & \"ok\"\n\u0007bell\n",
                        Duration.ofMillis(30)),
                new ProbeResult("dns-ipv6", "foreign DNS over IPv6", "no answer", "n/a: the network has no IPv6",
                        ProbeStatus.SKIP, "", Duration.ZERO)), Duration.ofMillis(6543));
    }

    @Test
    void theTableHasAlignedColumnsAResultLineAndFailedOutput() {
        String table = Reports.table(report());
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(0).matches("PROBE +EXPECTED +OBSERVED +RESULT"), lines.get(0));
        int resultColumn = lines.get(0).indexOf("RESULT");
        assertEquals("PASS", lines.get(1).substring(resultColumn));
        assertEquals("FAIL", lines.get(2).substring(resultColumn));
        assertTrue(lines.get(2).startsWith("direct IPv4 172.18.0.3:443"));
        assertEquals("n/a", lines.get(4).substring(resultColumn));
        assertTrue(table.contains("Result: FAIL (1 probes passed, 2 failed, 1 n/a) for claude-devc/demo:latest on "
                + "claude-devc-verify-1 (internal), IPv4+IPv6, 6.5 s"), table);
        assertTrue(table.contains("sudo firewall with an argument: expected refused by sudo, observed ran as root: "
                + "exit 0\n  | status: <enforce> & \"ok\"\n  | bell\n"), table);
        assertFalse(table.lines().anyMatch(l -> l.matches("(\\w+: )?\\d+ passed, \\d+ failed.*")),
                "no line looks like a test runner's summary");
    }

    @Test
    void theDataHasTheImageTheCountsAndEveryProbe() {
        JsonNode json = new ObjectMapper().valueToTree(Reports.data(report()));
        assertFalse(json.has("outcome"), "the command adds the outcome");
        assertEquals("sha256:abc", json.get("imageId").asText());
        assertTrue(json.get("network").get("internal").asBoolean());
        assertEquals(1, json.get("counts").get("passed").asInt());
        assertEquals(2, json.get("counts").get("failed").asInt());
        assertEquals(1, json.get("counts").get("notApplicable").asInt());
        JsonNode probes = json.get("probes");
        assertEquals(4, probes.size());
        assertEquals("direct-ipv4", probes.get(1).get("id").asText());
        assertEquals("fail", probes.get(1).get("result").asText());
        assertEquals("n/a", probes.get(3).get("result").asText());
        assertFalse(probes.get(1).has("output"));
        assertTrue(probes.get(2).get("output").asText().contains("<enforce>"));
    }

    @Test
    void junitXmlHasOneCasePerProbeWithFailuresAndSkips() throws Exception {
        String xml = Reports.junit(report());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element suite = doc.getDocumentElement();
        assertEquals("testsuite", suite.getTagName());
        assertEquals("4", suite.getAttribute("tests"));
        assertEquals("2", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("skipped"));
        assertEquals("6.543", suite.getAttribute("time"));
        NodeList cases = suite.getElementsByTagName("testcase");
        assertEquals(4, cases.getLength());
        Element failed = (Element) cases.item(1);
        assertEquals("direct-ipv4: direct IPv4 172.18.0.3:443", failed.getAttribute("name"));
        assertEquals("expected blocked, observed connected",
                ((Element) failed.getElementsByTagName("failure").item(0)).getAttribute("message"));
        Element sudo = (Element) cases.item(2);
        assertTrue(sudo.getElementsByTagName("failure").item(0).getTextContent().contains("<enforce> & \"ok\""));
        assertEquals(1, ((Element) cases.item(3)).getElementsByTagName("skipped").getLength());
    }
}
