/**
 * {@code seed-agent status}: the administrator's one-screen view of the seed.
 *
 * <p>Three steps, only the first does I/O: {@code StatusGatherer} reads the state file,
 * the fragment, HTCondor's live configuration (one {@code condor_config_val} launch), the daemons' address
 * files and systemd's view into a {@code StatusFacts}; the pure {@code StatusEvaluator} turns those into a
 * {@link org.seedagent.status.StatusReport} (per-part verdicts, findings with remedies, the
 * {@link org.seedagent.status.Health} that is the exit code); pure renderers print it as text or as JSON
 * (schema_version 1, described by {@code docs/schemas/status.schema.json}). {@link org.seedagent.status.Status} is
 * the entry point and also implements {@code --wait}.
 */
package org.seedagent.status;
