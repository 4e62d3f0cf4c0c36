package org.seedagent.condor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.seedagent.config.ReloadMethod;
import org.seedagent.support.ProcessResult;

/**
 * How long HTCondor's unit is given (issue 25): measured on real pools, a restart after the address changed takes
 * about 20 s (the fast shutdown retries the old address), the default condor.timeout; killed at it, the restart was
 * recorded failed and made again at the next poll.
 */
class HtcondorServiceTest {
    private final List<String> calls = new ArrayList<>();

    private HtcondorService service(int restartTakesSeconds) {
        return new HtcondorService(
                (command, timeout) -> {
                    calls.add(String.join(" ", command) + " @" + timeout.toSeconds());
                    boolean killed = command.contains("restart") && restartTakesSeconds > timeout.toSeconds();
                    return new ProcessResult(killed ? -1 : 0, "", "", killed);
                },
                "condor.service",
                Duration.ofSeconds(20));
    }

    @Test
    void restart_isGivenThreeMinutes_notTheTwentySecondsOfTheOtherCommands() throws Exception {
        HtcondorService.ReloadOutcome outcome = service(21).reload(ReloadMethod.RESTART, List.of());
        assertEquals(HtcondorService.ReloadOutcome.Result.DONE, outcome.result(), outcome.detail());
        assertEquals(
                List.of("systemctl is-active --quiet condor.service @20", "systemctl restart condor.service @180"),
                calls);
    }

    @Test
    void reload_keepsCondorTimeout() throws Exception {
        service(0).reload(ReloadMethod.RELOAD, List.of());
        assertEquals("systemctl reload condor.service @20", calls.get(1));
    }

    @Test
    void restartLongerThanThreeMinutes_failsNamingTheLimit() throws Exception {
        HtcondorService.ReloadOutcome outcome = service(200).reload(ReloadMethod.RESTART, List.of());
        assertEquals(HtcondorService.ReloadOutcome.Result.FAILED, outcome.result());
        assertEquals("systemctl restart condor.service did not finish within 180 s and was killed", outcome.detail());
    }

    @Test
    void aLongerCondorTimeoutWins() {
        assertEquals(
                Duration.ofSeconds(300), HtcondorService.timeoutFor(ReloadMethod.RESTART, Duration.ofSeconds(300)));
        assertEquals(Duration.ofSeconds(5), HtcondorService.timeoutFor(ReloadMethod.RELOAD, Duration.ofSeconds(5)));
    }
}
