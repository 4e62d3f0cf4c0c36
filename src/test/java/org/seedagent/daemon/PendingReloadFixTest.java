package org.seedagent.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.AgentConfigLoader;
import org.seedagent.status.PendingReloadFix;

/**
 * Issue 22: the fix `status` gives for a pending reload follows the cause the daemon recorded (the words of
 * {@link Reloads#withheldBecause}): a missing or slow condor_config_val is not "systemctl status says why the reload
 * fails", and not a broken file.
 */
class PendingReloadFixTest {
    private final AgentConfig config = new AgentConfigLoader().defaults();

    private String fixFor(CondorEvaluation.Kind kind, String reason) {
        String because = Reloads.withheldBecause(
                ConfigProbe.Result.of(new CondorEvaluation.Failed(kind, reason, null, 0)), config);
        return PendingReloadFix.forCause(because, "condor.service");
    }

    @Test
    void condorConfigValMissing_fixIsInstallingItOrNamingIt() {
        String fix = fixFor(CondorEvaluation.Kind.NOT_INSTALLED, "cannot run /usr/bin/condor_config_val: No such file");
        assertTrue(fix.startsWith("install HTCondor, or set condor.config-val"), fix);
        assertTrue(!fix.contains("systemctl status condor.service"), fix);
    }

    @Test
    void condorConfigValTimedOut_fixIsRaisingTheTimeOut() {
        String fix = fixFor(
                CondorEvaluation.Kind.TIMED_OUT,
                Path.of("/usr/bin/condor_config_val") + " did not finish within 20 s and was killed");
        assertTrue(fix.startsWith("raise condor.timeout"), fix);
    }

    @Test
    void configurationBroken_fixIsTheNamedFile() {
        String fix = fixFor(CondorEvaluation.Kind.CONFIGURATION_ERROR, "/etc/condor/config.d/99-bad.conf, line 3: bad");
        assertTrue(fix.startsWith("fix the file named"), fix);
    }
}
