package dev.claudedevc.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.cli.CliRun;
import dev.claudedevc.cli.ExitCodes;
import dev.claudedevc.model.ImageLayout;
import dev.claudedevc.validate.CompiledPolicyCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The firewall's start-time check of its compiled policy (the script's one awk pass, run in a real container as
 * {@code claude-devc-firewall check}) and claude-devc's own check (CompiledPolicyCheck, what {@code validate}
 * runs, and the {@code validate} command itself where the corruption is in the files' bytes) give the same verdict
 * on the same inputs: the intact policy passes both, every corruption fails both.
 *
 * <p>A corruption that a digest would catch alone is also given with the header's digests made to match (as
 * root could), so that the script's grammar, not the digest, must refuse it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompiledPolicyVerdictIT {

    /** Makes the header's SHA-256 records match the files again. */
    private static final String REDIGEST = """
            for f in ipsets.restore filter4.rules filter6.rules dnsmasq.conf; do
              s=$(sha256sum /etc/claude-devc/$f | cut -d' ' -f1)
              sed -i "s/^file $f .*/file $f $s/" /etc/claude-devc/policy.conf
            done
            """;

    private FirewallLab lab;
    private DevContainer dev;

    @BeforeAll
    void start() {
        lab = FirewallLab.shared();
        dev = lab.start(FirewallLab.Variant.ENFORCE);
        dev.asRoot("cp -a /etc/claude-devc /tmp/policy-intact").succeeds();
    }

    @AfterAll
    void stop() {
        if (dev != null) {
            dev.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            intact                                  | true  | :
            truncated file                          | false | head -c -200 /etc/claude-devc/ipsets.restore >/tmp/t && cat /tmp/t >/etc/claude-devc/ipsets.restore
            truncated file, digest fixed            | false | head -n -3 /etc/claude-devc/filter4.rules >/tmp/t && cat /tmp/t >/etc/claude-devc/filter4.rules && REDIGEST
            empty file, digest fixed                | false | : >/etc/claude-devc/dnsmasq.conf && REDIGEST
            unknown record, digest fixed            | false | sed -i 's/^create cdv-denied-4 /flush cdv-denied-4\\ncreate cdv-denied-4 /' /etc/claude-devc/ipsets.restore && REDIGEST
            an answer set filled statically         | false | sed -i 's/^\\(create cdv-g0-4 .*\\)$/\\1\\nadd cdv-g0-4 0.0.0.0\\/1/' /etc/claude-devc/ipsets.restore && REDIGEST
            DNS port allowed, digest fixed          | false | sed -i 's/--dports 443,80 /--dports 443,53 /' /etc/claude-devc/filter4.rules && REDIGEST
            accept everything, digest fixed         | false | sed -i 's/^-A OUTPUT -j CDV-DENY$/-A OUTPUT -j ACCEPT/' /etc/claude-devc/filter6.rules && REDIGEST
            a range octet over 255, digest fixed    | false | sed -i 's/^\\(create cdv-t-cdv-s0-4 .*\\)$/\\1\\nadd cdv-t-cdv-s0-4 10.0.256.0\\/24 -exist/' /etc/claude-devc/ipsets.restore && REDIGEST
            a range of everything, digest fixed     | false | sed -i 's/^\\(create cdv-t-cdv-s0-4 .*\\)$/\\1\\nadd cdv-t-cdv-s0-4 0.0.0.0\\/0 -exist/' /etc/claude-devc/ipsets.restore && REDIGEST
            a hash size outside the grammar         | false | sed -i 's/^\\(create cdv-t-cdv-s0-4 hash:net family inet\\) \\(maxelem 65536\\)$/\\1 hashsize 3000 \\2/' /etc/claude-devc/ipsets.restore && REDIGEST
            a fixed foreign resolver, digest fixed  | false | sed -i 's,^server=/allowed.test/@UPSTREAM@$,server=/allowed.test/192.0.2.53,' /etc/claude-devc/dnsmasq.conf && REDIGEST
            unknown header record                   | false | echo 'allow-everything please' >>/etc/claude-devc/policy.conf
            a header port 53                        | false | echo 'host-port 53' >>/etc/claude-devc/policy.conf
            digest mismatch                         | false | sed -i 's/^# group 0: /# group zero: /' /etc/claude-devc/filter4.rules
            missing file                            | false | rm /etc/claude-devc/filter6.rules
            file not root-owned                     | false | chown 1000 /etc/claude-devc/filter6.rules
            file writable by others                 | false | chmod 0666 /etc/claude-devc/dnsmasq.conf
            """)
    void theScriptAndValidateGiveTheSameVerdict(String what, boolean intact, String corruption) throws IOException {
        dev.asRoot("rm -rf /etc/claude-devc && cp -a /tmp/policy-intact /etc/claude-devc").succeeds();
        dev.asRoot(corruption.replace("REDIGEST", "{\n" + REDIGEST + "}")).succeeds();

        DevContainer.Exec script = dev.asUser(DevContainer.FIREWALL + " check");
        List<String> java = CompiledPolicyCheck.check(expected(), installed());
        assertEquals(intact, script.exitCode() == 0, what + ": the script's check\n" + script.text());
        assertEquals(intact, java.isEmpty(), what + ": claude-devc's check " + java);
        if (!intact) {
            assertTrue(script.err().contains("policy"), script::text);
        }

        // The validate command on a checkout holding the same bytes (ownership is the image's, not the checkout's).
        if (!what.contains("owned") && !what.contains("writable")) {
            Path project = copyOfProject();
            for (ImageLayout.PlacedFile file : ImageLayout.COMPILED_POLICY) {
                Path target = project.resolve(".devcontainer").resolve(file.name());
                Optional<byte[]> bytes = read(file);
                if (bytes.isPresent()) {
                    Files.write(target, bytes.get());
                } else {
                    Files.delete(target);
                }
            }
            CliRun validate = CliRun.of("validate", "-C", project.toString());
            assertEquals(intact ? 0 : ExitCodes.INVALID_OUTPUT, validate.exitCode(), what + ": validate\n"
                    + validate.out() + validate.err());
        }
    }

    /**
     * A large static set (generate makes it at its final hash size, FirewallCompiler.hashSize) passes the
     * script's check and loads: 3000 ranges, counted in the kernel's set after the apply, status ok.
     */
    @org.junit.jupiter.api.Test
    void aLargeStaticSetMadeAtItsFinalSizePassesTheCheckAndLoads() {
        try {
            dev.asRoot("rm -rf /etc/claude-devc && cp -a /tmp/policy-intact /etc/claude-devc").succeeds();
            dev.asRoot("""
                    awk '{print} /^create cdv-t-cdv-s0-4 / {for (i = 0; i < 3000; i++) \
                      printf "add cdv-t-cdv-s0-4 10.%d.%d.0/24 -exist\\n", int(i / 256), i % 256}' \
                      /etc/claude-devc/ipsets.restore >/tmp/big
                    sed 's/^\\(create cdv-t-cdv-s0-4 hash:net family inet\\) \\(maxelem 65536\\)$/\\1 hashsize 2048 \\2/' \
                      /tmp/big >/etc/claude-devc/ipsets.restore
                    grep -q '^create cdv-t-cdv-s0-4 hash:net family inet hashsize 2048 maxelem 65536$' \
                      /etc/claude-devc/ipsets.restore
                    """ + REDIGEST).succeeds();
            dev.asUser(DevContainer.FIREWALL + " check").succeeds();
            dev.asRoot(DevContainer.FIREWALL).succeeds();
            String set = dev.asRoot("ipset list cdv-s0-4 | grep -E '^(Header|Number of entries):'").succeeds().out();
            int ranges = Integer.parseInt(dev.asRoot("grep -c '^add cdv-t-cdv-s0-4 ' /etc/claude-devc/ipsets.restore")
                    .succeeds().out().strip());
            assertTrue(ranges >= 3000, "ranges in the file: " + ranges);
            assertTrue(set.contains("hashsize 2048 ") && set.contains("Number of entries: " + ranges + "\n"), set);
            assertTrue(dev.status().out().contains("result=ok\n"), dev.status()::text);
        } finally {
            dev.asRoot("rm -rf /etc/claude-devc && cp -a /tmp/policy-intact /etc/claude-devc && " + DevContainer.FIREWALL)
                    .succeeds();
        }
    }

    private Map<String, String> expected() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ImageLayout.PlacedFile file : ImageLayout.COMPILED_POLICY) {
            out.put(file.name(), lab.generatedFile(FirewallLab.Variant.ENFORCE, file.name()));
        }
        return out;
    }

    /** The installed files as the container has them: bytes, owner and mode. */
    private Map<String, CompiledPolicyCheck.Found> installed() {
        Map<String, CompiledPolicyCheck.Found> out = new LinkedHashMap<>();
        for (ImageLayout.PlacedFile file : ImageLayout.COMPILED_POLICY) {
            Optional<byte[]> bytes = read(file);
            if (bytes.isPresent()) {
                String owner = dev.asRoot("stat -c '%u %g %a' \"$1\"", file.path()).succeeds().out().strip();
                out.put(file.name(), new CompiledPolicyCheck.Found(bytes.get(), Optional.of(owner)));
            }
        }
        return out;
    }

    private Optional<byte[]> read(ImageLayout.PlacedFile file) {
        DevContainer.Exec cat = dev.asRoot("test -f \"$1\" && base64 -w0 \"$1\"", file.path());
        return cat.exitCode() == 0 ? Optional.of(Base64.getDecoder().decode(cat.out().strip())) : Optional.empty();
    }

    private Path copyOfProject() throws IOException {
        Path from = lab.project(FirewallLab.Variant.ENFORCE);
        Path to = Files.createTempDirectory("claude-devc-verdict-");
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

}
