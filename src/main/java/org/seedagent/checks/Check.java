package org.seedagent.checks;

import org.seedagent.support.JsonNames;

/**
 * Every check, in report order. The ids are stable: they are stored and printed in JSON. Each is the
 * constant's {@linkplain JsonNames#of JSON name} ({@code CONDOR_CONFIG} is {@code condor-config}), so renaming
 * a constant changes an id.
 */
public enum Check {
    CONDOR_CONFIG(Area.HTCONDOR),
    HTCONDOR_RELEASE(Area.HTCONDOR),
    CENTRAL_MANAGER(Area.CENTRAL_MANAGER),
    AP_COLLECTOR(Area.CENTRAL_MANAGER),
    SUBMIT_NODE(Area.SUBMIT_NODE),
    JOB_LEASE(Area.SUBMIT_NODE),
    COLLECTOR_ADDRESS(Area.NETWORKING),
    ANNEX_COLLECTOR(Area.NETWORKING),
    FORWARDING_IN_EFFECT(Area.NETWORKING),
    SELF_REACHABILITY(Area.NETWORKING),
    LEGACY_BOOT_CONFIG(Area.NETWORKING),
    PASSWORD_FILE(Area.SECURITY),
    ANNEX_SIGNING_KEY(Area.SECURITY),
    DAEMON_AUTHENTICATION(Area.SECURITY),
    POOL_IDENTITY(Area.SECURITY),
    TRUST_DOMAIN(Area.SECURITY),
    OPEN_ACCESS(Area.SECURITY),
    PUBLIC_ADDRESS(Area.INSTANCE),
    ELASTIC_IP(Area.INSTANCE),
    SEED_LIFECYCLE(Area.INSTANCE),
    SCHEDULED_EVENTS(Area.INSTANCE),
    CREDENTIALS(Area.CREDENTIALS),
    IMDS_GUARD(Area.CREDENTIALS),
    CREDENTIAL_FILES(Area.CREDENTIALS),
    SERVICES_ENABLED(Area.RECOVERY),
    CONDOR_RESTART(Area.RECOVERY),
    ROOT_VOLUME(Area.RECOVERY),
    INSTANCE_STORE(Area.RECOVERY);

    private final Area area;

    Check(Area area) {
        this.area = area;
    }

    public String id() {
        return JsonNames.of(this);
    }

    public Area area() {
        return area;
    }

    CheckResult ok(String finding) {
        return new CheckResult(id(), area, Severity.OK, finding, null);
    }

    CheckResult info(String finding, String remedy) {
        return new CheckResult(id(), area, Severity.INFO, finding, remedy);
    }

    CheckResult warning(String finding, String remedy) {
        return new CheckResult(id(), area, Severity.WARNING, finding, remedy);
    }

    CheckResult failure(String finding, String remedy) {
        return new CheckResult(id(), area, Severity.FAILURE, finding, remedy);
    }

    /** A check whose input is missing: a warning, so that --strict notices; the cause is reported elsewhere. */
    CheckResult notChecked(String why, String remedy) {
        return warning("not checked: " + why, remedy);
    }
}
