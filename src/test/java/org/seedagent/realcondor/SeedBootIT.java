package org.seedagent.realcondor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.reliability.Figures;

/**
 * A real seed booted as systemd boots it: seed-agent's boot sync first, then HTCondor; what the daemons
 * advertise, what {@code seed-agent status} says about it, and what {@code seed-agent check} finds when
 * it connects to the running seed through its public address. One pool per test (the last one breaks its
 * pool on purpose).
 */
class SeedBootIT {
    private static final String PUBLIC = "203.0.113.10";
    /** condor_status's ad type for each daemon the agent and status follow through their address files. */
    private static final Map<String, String> AD_TYPE =
            Map.of("master", "DaemonMaster", "schedd", "Scheduler", "collector", "Collector");

    @TempDir
    Path dir;

    @Test
    void boot_agentSyncsBeforeTheMaster_daemonsAdvertiseThePublicAddress_statusAgreesWithCondorStatus()
            throws Exception {
        Instant start = Instant.now();
        try (RealPool rig = RealPool.boot(dir, new SeedPool.Options(false), SeedAgent.Settings.reload(), PUBLIC)) {
            SeedPool pool = rig.pool();
            // RealPool.boot asserted the order: fragment written, no master yet, then the master started.
            assertTrue(Files.readString(pool.fragment()).contains("TCP_FORWARDING_HOST = " + PUBLIC + "\n"));
            Map<String, Set<String>> ads = pool.advertisedAddresses();
            for (String type : SeedPool.SEED_TYPES) {
                assertEquals(Set.of(PUBLIC), ads.get(type), type + " advertises " + ads + rig.diagnostics());
            }

            SeedAgent.Command status = rig.agent().status();
            Map<String, Object> json = status.json();
            Map<String, Object> address = map(json, "address");
            assertEquals(PUBLIC, address.get("current"), status.stdout());
            assertEquals("public", address.get("kind"));
            Map<String, Object> htcondor = map(json, "htcondor");
            assertEquals(PUBLIC, htcondor.get("tcp_forwarding_host"), status.stdout());
            assertEquals(Boolean.TRUE, htcondor.get("in_effect"), status.stdout());
            assertTrue(
                    String.valueOf(htcondor.get("location"))
                            .startsWith(pool.fragment().toString()),
                    status.stdout());
            Map<String, Object> fragment = map(json, "fragment");
            assertEquals(Boolean.TRUE, fragment.get("matches"), status.stdout());

            // Field by field: the daemons' address files (what status reads) against the ads in the collector.
            Map<String, Object> advertised = map(json, "advertised");
            assertEquals("live", advertised.get("source"), status.stdout());
            assertEquals(Boolean.TRUE, advertised.get("caught_up"), status.stdout());
            Map<String, Object> hosts = map(advertised, "addresses");
            assertEquals(AD_TYPE.keySet(), hosts.keySet(), status.stdout());
            Map<String, Set<String>> now = pool.advertisedAddresses();
            hosts.forEach((daemon, host) -> assertEquals(
                    now.get(AD_TYPE.get(daemon)),
                    Set.of(host),
                    daemon + ": status says " + host + ", condor_status says " + now));

            // At boot HTCondor was not running yet: the agent had nothing to reload, and said so.
            Map<String, Object> reload = map(json, "last_reload");
            assertEquals("skipped", reload.get("result"), status.stdout());
            assertTrue(String.valueOf(reload.get("detail")).contains("not running"), status.stdout());
            assertEquals(0, pool.sighupsReceived(), pool.diagnostics());
            assertEquals(1, pool.masterStarts(), pool.diagnostics());
            // Nothing to report about what was compared. (Checks may: /proc is the host's, so a condor_master of
            // another test on this machine makes the boot checks try self-reachability before our master runs.)
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> findings = (List<Map<String, Object>>) json.get("findings");
            List<Map<String, Object>> about = findings.stream()
                    .filter(f -> List.of("fragment", "htcondor", "advertised", "reload", "poll")
                            .contains(f.get("part")))
                    .toList();
            assertEquals(List.of(), about, status.stdout());

            Figures.of("real-pool boot")
                    .with("boot_sync_s", seconds(rig.bootSync()))
                    .with("master_start_to_advertised_s", seconds(rig.firstAdvertised()))
                    .with("status_exit", status.exitCode())
                    .with("wall_s", seconds(Duration.between(start, Instant.now())))
                    .record();
        }
    }

    @Test
    void check_againstTheRunningSeed_reachesItsOwnPublicAddress_andFailsOnceThatAddressLeadsNowhere() throws Exception {
        try (RealPool rig = RealPool.boot(dir, new SeedPool.Options(false), SeedAgent.Settings.reload(), PUBLIC)) {
            SeedAgent.Command check = rig.agent().check();
            Map<String, Object> reach = result(check, "self-reachability");
            assertEquals("ok", reach.get("severity"), check.stdout());
            assertTrue(
                    String.valueOf(reach.get("finding"))
                            .startsWith("connected to this instance's own public IP " + PUBLIC + " on port 9618"),
                    check.stdout());
            // The seed recipe's settings hold against the real configuration.
            assertEquals("ok", result(check, "condor-config").get("severity"), check.stdout());
            assertEquals("ok", result(check, "forwarding-in-effect").get("severity"), check.stdout());
            assertEquals("ok", result(check, "collector-address").get("severity"), check.stdout());

            // The address stops leading back to the host (on EC2: a security group without the seed's own /32).
            rig.namespace().removeAddress(PUBLIC);
            SeedAgent.Command broken = rig.agent().check();
            Map<String, Object> failed = result(broken, "self-reachability");
            assertEquals("failure", failed.get("severity"), broken.stdout());
            assertTrue(
                    String.valueOf(failed.get("finding"))
                            .startsWith("cannot connect to this instance's own public IP " + PUBLIC + " on port 9618"),
                    broken.stdout());
            assertEquals(1, broken.exitCode(), broken.stdout());

            Figures.of("real-pool check self-reachability")
                    .with("ok_finding", reach.get("finding"))
                    .with(
                            "failure_finding",
                            String.valueOf(failed.get("finding")).replaceAll(":.*", ""))
                    .record();
        }
    }

    static Map<String, Object> result(SeedAgent.Command check, String id) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results =
                (List<Map<String, Object>>) check.json().get("results");
        return results.stream()
                .filter(r -> id.equals(r.get("id")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " in " + check.stdout()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> json, String key) {
        Object value = json.get(key);
        assertFalse(value == null, key + " is null in " + json);
        return (Map<String, Object>) value;
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }
}
