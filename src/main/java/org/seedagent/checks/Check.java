package org.seedagent.checks;

/** Every check, in report order. The ids are stable: they are stored and printed in JSON. */
public enum Check {
    CONDOR_CONFIG("condor-config", Area.HTCONDOR),
    HTCONDOR_RELEASE("htcondor-release", Area.HTCONDOR),
    CENTRAL_MANAGER("central-manager", Area.CENTRAL_MANAGER),
    AP_COLLECTOR("ap-collector", Area.CENTRAL_MANAGER),
    SUBMIT_NODE("submit-node", Area.SUBMIT_NODE),
    JOB_LEASE("job-lease", Area.SUBMIT_NODE),
    COLLECTOR_ADDRESS("collector-address", Area.NETWORKING),
    ANNEX_COLLECTOR("annex-collector", Area.NETWORKING),
    FORWARDING_IN_EFFECT("forwarding-in-effect", Area.NETWORKING),
    SELF_REACHABILITY("self-reachability", Area.NETWORKING),
    LEGACY_BOOT_CONFIG("legacy-boot-config", Area.NETWORKING),
    PASSWORD_FILE("password-file", Area.SECURITY),
    ANNEX_SIGNING_KEY("annex-signing-key", Area.SECURITY),
    DAEMON_AUTHENTICATION("daemon-authentication", Area.SECURITY),
    POOL_IDENTITY("pool-identity", Area.SECURITY),
    TRUST_DOMAIN("trust-domain", Area.SECURITY),
    OPEN_ACCESS("open-access", Area.SECURITY),
    PUBLIC_ADDRESS("public-address", Area.INSTANCE),
    ELASTIC_IP("elastic-ip", Area.INSTANCE),
    SEED_LIFECYCLE("seed-lifecycle", Area.INSTANCE),
    SCHEDULED_EVENTS("scheduled-events", Area.INSTANCE),
    CREDENTIALS("credentials", Area.CREDENTIALS),
    IMDS_GUARD("imds-guard", Area.CREDENTIALS),
    CREDENTIAL_FILES("credential-files", Area.CREDENTIALS),
    SERVICES_ENABLED("services-enabled", Area.RECOVERY),
    CONDOR_RESTART("condor-restart", Area.RECOVERY),
    ROOT_VOLUME("root-volume", Area.RECOVERY),
    INSTANCE_STORE("instance-store", Area.RECOVERY);

    private final String id;
    private final Area area;

    Check(String id, Area area) {
        this.id = id;
        this.area = area;
    }

    public String id() {
        return id;
    }

    public Area area() {
        return area;
    }

    CheckResult ok(String finding) {
        return new CheckResult(id, area, Severity.OK, finding, null);
    }

    CheckResult info(String finding, String remedy) {
        return new CheckResult(id, area, Severity.INFO, finding, remedy);
    }

    CheckResult warning(String finding, String remedy) {
        return new CheckResult(id, area, Severity.WARNING, finding, remedy);
    }

    CheckResult failure(String finding, String remedy) {
        return new CheckResult(id, area, Severity.FAILURE, finding, remedy);
    }

    /** A check whose input is missing: a warning, so that --strict notices; the cause is reported elsewhere. */
    CheckResult notChecked(String why, String remedy) {
        return warning("not checked: " + why, remedy);
    }
}
