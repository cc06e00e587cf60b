package dev.claudedevc.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The long-life records of the policy file: checked like the script checks them. */
class PolicyCheckTest {

    private static final String BASE = "version 1\nmode enforce\nipv6 filter\ngroup 0 443\nallow-name 0 exact a.test\n";

    @Test
    void privateAnswersLifetimeAndLogRotationRecordsAreAccepted() {
        assertEquals(List.of(), PolicyCheck.check(BASE + "private-answer 10.20.0.0/16\nprivate-answer fd00:cd0::/64\n"
                + "answer-lifetime 3600\ndns-log 8388608 4\n"));
    }

    @Test
    void malformedLongLifeRecordsAreLocated() {
        assertEquals(List.of("line 6: '10.20.0.1/16' has host bits set; did you mean 10.20.0.0/16?",
                        "line 7: answer-lifetime must be 1..2147483 seconds",
                        "line 8: answer-lifetime must be 1..2147483 seconds",
                        "line 9: dns-log takes a size of 1000..1073741824 bytes and 1..99 rotated files",
                        "line 10: dns-log takes a size of 1000..1073741824 bytes and 1..99 rotated files"),
                PolicyCheck.check(BASE + "private-answer 10.20.0.1/16\nanswer-lifetime 0\nanswer-lifetime 2147484\n"
                        + "dns-log 999 4\ndns-log 8388608 0\n"));
    }
}
