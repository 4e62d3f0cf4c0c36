package org.seedagent.condor;

import java.util.Optional;

/**
 * Which tool makes this seed's annex nodes, told from what HTCondor itself says: {@code HPC_ANNEX_ENABLED}
 * (set by {@code use feature:HPC_ANNEX}) and the release ({@code CONDOR_VERSION}), both in the one
 * {@code condor_config_val -dump} the agent already runs. The two generations are given different addresses:
 * {@code condor_annex} bakes the seed's {@code COLLECTOR_HOST} into every node, {@code htcondor annex} gives
 * them {@code ANNEX_COLLECTOR}, the AP collector on the shared port.
 */
public enum AnnexTool {
    /** Classic {@code condor_annex} (HTCondor before 24.11): nodes are given COLLECTOR_HOST, the pool password. */
    CONDOR_ANNEX("condor_annex", "classic `condor_annex`"),
    /** {@code htcondor annex} with {@code use feature:HPC_ANNEX}: nodes are given ANNEX_COLLECTOR, AP tokens. */
    HTCONDOR_ANNEX("htcondor-annex", "`htcondor annex` (use feature:HPC_ANNEX)"),
    /** A release without condor_annex (24.11 and later) whose configuration does not enable HPC_ANNEX. */
    NONE("none", "none: condor_annex was withdrawn in 24.11 and HPC_ANNEX is not enabled");

    private final String jsonName;
    private final String description;

    AnnexTool(String jsonName, String description) {
        this.jsonName = jsonName;
        this.description = description;
    }

    /** The stable name in JSON and the state file. */
    public String jsonName() {
        return jsonName;
    }

    /** For people: {@code `htcondor annex` (use feature:HPC_ANNEX)}. */
    public String description() {
        return description;
    }

    /** The tool {@code view}'s seed serves. */
    public static AnnexTool of(CondorConfigView view) {
        if (CondorValues.bool(view.value("HPC_ANNEX_ENABLED").orElse(null), false)) {
            return HTCONDOR_ANNEX;
        }
        Optional<HtcondorRelease> release = release(view);
        return release.isPresent() && !release.get().hasCondorAnnex() ? NONE : CONDOR_ANNEX;
    }

    /** The release in {@code CONDOR_VERSION}, when it is one. */
    public static Optional<HtcondorRelease> release(CondorConfigView view) {
        return view.value("CONDOR_VERSION").flatMap(HtcondorRelease::parse);
    }
}
