package org.seedagent.state;

import org.seedagent.eip.AddressFact;
import org.seedagent.eip.ClaimOutcome;

/**
 * The Elastic IP as the daemon last reported it.
 *
 * @param configured the eip.allocation-id or eip.address configured; null when none
 * @param allowReassociation eip.allow-reassociation
 * @param claim the last claim at boot; null when none was made
 * @param address whether the address in force is an Elastic IP, as EC2 said; null when not asked
 */
public record ElasticIpRecord(String configured, boolean allowReassociation, ClaimOutcome claim, AddressFact address) {}
