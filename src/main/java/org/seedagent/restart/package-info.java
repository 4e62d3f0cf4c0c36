/**
 * What a restart of the seed cost: at each boot the agent compares its last record (a clean stop or
 * a heartbeat, the boot id, the instance id, the address) with this boot, and says what kind of
 * restart it was, how long the seed was down, and whether running work survived. Pure logic
 * ({@link org.seedagent.restart.RestartAnalyzer}) over facts the daemon gathers; also the instance's
 * scheduled maintenance events, which announce the next outage.
 */
package org.seedagent.restart;
