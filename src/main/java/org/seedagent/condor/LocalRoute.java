package org.seedagent.condor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the seed's own tools find a local daemon: not through the network but through a file the daemon writes. A
 * normal user's {@code condor_q} and {@code condor_submit} take the schedd's address from its local ad (root's use
 * a private super-port address, which an address change does not touch), {@code condor_reconfig},
 * {@code condor_restart} and {@code condor_off} the master's from its address file. Measured on real pools
 * (../shared/htcondor/HPC-ANNEX-FACTS.md section 4): when those files name an address the host no longer has,
 * those tools fail.
 */
public enum LocalRoute {
    SCHEDD("schedd", "SCHEDD_DAEMON_AD_FILE", true, "normal users' condor_submit and condor_q"),
    MASTER("master", "MASTER_ADDRESS_FILE", false, "condor_reconfig, condor_restart and condor_off"),
    COLLECTOR("collector", "COLLECTOR_ADDRESS_FILE", false, "tools that find the collector through its address file");

    private final String daemon;
    private final String knob;
    private final boolean localAd;
    private final String tools;

    LocalRoute(String daemon, String knob, boolean localAd, String tools) {
        this.daemon = daemon;
        this.knob = knob;
        this.localAd = localAd;
        this.tools = tools;
    }

    /** The daemon's name as status shows it. */
    public String daemon() {
        return daemon;
    }

    /** The knob naming the file. */
    public String knob() {
        return knob;
    }

    /** What the file is: "local ad" or "address file". */
    public String fileKind() {
        return localAd ? "local ad" : "address file";
    }

    /** The tools that fail while the daemon cannot be reached through this route. */
    public String tools() {
        return tools;
    }

    /** The host the file names now; empty when it is missing, unreadable or names none. */
    public Optional<String> read(String file) {
        return localAd ? DaemonAddressFiles.hostInLocalAd(file) : DaemonAddressFiles.hostInAddressFile(file);
    }

    /** The tools that fail when the daemons named cannot be reached, in route order; "nothing" for none. */
    public static String toolsOf(List<String> daemons) {
        List<String> tools = new ArrayList<>();
        for (LocalRoute route : values()) {
            if (daemons.contains(route.daemon)) {
                tools.add(route.tools);
            }
        }
        return tools.isEmpty() ? "nothing" : String.join("; ", tools);
    }
}
