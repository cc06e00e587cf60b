package dev.claudedevc.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A static set is made at its final hash size once ipset's default (1024 buckets) would have to grow while it
 * loads: about two ranges a bucket, a power of two from 2048 to 32768 (the only sizes the firewall script's
 * check accepts, CompiledPolicyVerdictIT).
 */
class FirewallCompilerHashSizeTest {

    @ParameterizedTest(name = "{0} ranges: ''{1}''")
    @CsvSource(delimiter = '|', textBlock = """
            0     | ''
            2048  | ''
            2049  | ' hashsize 2048'
            4096  | ' hashsize 2048'
            4098  | ' hashsize 4096'
            10000 | ' hashsize 8192'
            65536 | ' hashsize 32768'
            70000 | ' hashsize 32768'
            """)
    void aLargeStaticSetIsMadeAtItsFinalSize(long ranges, String clause) {
        assertEquals(clause, FirewallCompiler.hashSize(ranges));
    }
}
