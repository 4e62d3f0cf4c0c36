package org.seedagent.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.seedagent.condor.ApCollectorAnswer;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.condor.KnobLocation;
import org.seedagent.guard.GuardRecord;
import org.seedagent.guard.MetadataAccess;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.metadata.Ipv4Address;

/** The pure checks, by a table: each row changes one fact of a healthy seed and names the expected result. */
class ChecksTest {
    private static final MetadataFacts NO_PUBLIC_IP =
            MetadataFacts.of(null, Seed.ON_DEMAND, MetadataFacts.InstanceProfile.ATTACHED);
    private static final MetadataFacts UNAVAILABLE =
            MetadataFacts.unavailable("metadata service did not answer within 60s");

    /**
     * One row.
     *
     * @param finding a text the finding must contain, or null
     * @param remedy a text the remedy must contain, or null
     */
    record Case(
            String name, Check check, Severity severity, UnaryOperator<Seed> change, String finding, String remedy) {
        @Override
        public String toString() {
            return check.id() + ": " + name + " -> " + severity;
        }
    }

    private static Case c(
            String name, Check check, Severity severity, UnaryOperator<Seed> change, String finding, String remedy) {
        return new Case(name, check, severity, change, finding, remedy);
    }

    static List<Case> cases() {
        List<Case> t = new ArrayList<>();
        // condor-config
        t.add(c(
                "evaluated",
                Check.CONDOR_CONFIG,
                Severity.OK,
                s -> s,
                "evaluated HTCondor's configuration on vm",
                null));
        t.add(c(
                "parse error",
                Check.CONDOR_CONFIG,
                Severity.FAILURE,
                s -> s.condorFails(
                        CondorEvaluation.Kind.CONFIGURATION_ERROR,
                        "configuration error at line 1 of /etc/condor/config.d/60-broken",
                        "/etc/condor/config.d/60-broken",
                        1),
                "cannot evaluate HTCondor configuration: configuration error at line 1 of /etc/condor/config.d/60-broken",
                "fix line 1 of /etc/condor/config.d/60-broken"));
        t.add(c(
                "not installed",
                Check.CONDOR_CONFIG,
                Severity.FAILURE,
                s -> s.condorFails(
                        CondorEvaluation.Kind.NOT_INSTALLED,
                        "cannot run /usr/bin/condor_config_val: No such" + " file or directory",
                        null,
                        0),
                "cannot evaluate HTCondor configuration: cannot run",
                "condor.config-val"));
        t.add(c(
                "time-out",
                Check.CONDOR_CONFIG,
                Severity.FAILURE,
                s -> s.condorFails(CondorEvaluation.Kind.TIMED_OUT, "x did not finish within 20 s", null, 0),
                "did not finish",
                "condor.timeout"));
        t.add(c(
                "tool failed",
                Check.CONDOR_CONFIG,
                Severity.FAILURE,
                s -> s.condorFails(CondorEvaluation.Kind.TOOL_FAILED, "x exited with status 4", null, 0),
                "exited with status 4",
                "condor_config_val -config"));
        // central-manager
        t.add(c(
                "collector and negotiator",
                Check.CENTRAL_MANAGER,
                Severity.OK,
                s -> s,
                "runs COLLECTOR and NEGOTIATOR",
                null));
        t.add(c(
                "lower case, commas",
                Check.CENTRAL_MANAGER,
                Severity.OK,
                s -> s.knob("DAEMON_LIST", "master,collector, schedd,negotiator"),
                null,
                null));
        t.add(c(
                "execute node",
                Check.CENTRAL_MANAGER,
                Severity.FAILURE,
                s -> s.knob("DAEMON_LIST", "MASTER STARTD"),
                "lacks COLLECTOR and NEGOTIATOR",
                "use ROLE: CentralManager"));
        t.add(c(
                "COLLECTOR1 is not COLLECTOR",
                Check.CENTRAL_MANAGER,
                Severity.FAILURE,
                s -> s.knob("DAEMON_LIST", "MASTER COLLECTOR1 NEGOTIATOR SCHEDD"),
                "lacks COLLECTOR",
                null));
        t.add(c(
                "not set",
                Check.CENTRAL_MANAGER,
                Severity.FAILURE,
                s -> s.without("DAEMON_LIST"),
                "DAEMON_LIST is not set, so HTCondor runs only MASTER",
                null));
        // submit-node
        t.add(c("schedd", Check.SUBMIT_NODE, Severity.OK, s -> s, "runs SCHEDD", null));
        t.add(c(
                "no schedd",
                Check.SUBMIT_NODE,
                Severity.FAILURE,
                s -> s.knob("DAEMON_LIST", "MASTER COLLECTOR NEGOTIATOR"),
                "lacks SCHEDD",
                "use ROLE: Submit"));
        // job-lease
        t.add(c(
                "default",
                Check.JOB_LEASE,
                Severity.INFO,
                s -> s,
                "JOB_DEFAULT_LEASE_DURATION = 2400 s (40 min, from HTCondor's built-in default)",
                "job_lease_duration"));
        t.add(c(
                "not set",
                Check.JOB_LEASE,
                Severity.INFO,
                s -> s.without("JOB_DEFAULT_LEASE_DURATION"),
                "HTCondor's default of 2400 s",
                null));
        t.add(c(
                "not a number",
                Check.JOB_LEASE,
                Severity.WARNING,
                s -> s.knob("JOB_DEFAULT_LEASE_DURATION", "forty"),
                "is not a positive number of seconds",
                "JOB_DEFAULT_LEASE_DURATION = 2400"));
        t.add(c(
                "too short",
                Check.JOB_LEASE,
                Severity.WARNING,
                s -> s.knob("JOB_DEFAULT_LEASE_DURATION", "300"),
                "is only 300 s",
                null));
        // collector-address
        t.add(c(
                "follows TCP_FORWARDING_HOST",
                Check.COLLECTOR_ADDRESS,
                Severity.OK,
                s -> s,
                "follows TCP_FORWARDING_HOST (203.0.113.10)",
                null));
        t.add(c(
                "the public IP",
                Check.COLLECTOR_ADDRESS,
                Severity.OK,
                s -> s.knob("COLLECTOR_HOST", "203.0.113.10:9618"),
                "203.0.113.10 is this instance's public IP",
                null));
        t.add(c(
                "a name resolving to the public IP",
                Check.COLLECTOR_ADDRESS,
                Severity.OK,
                s -> s.knob("COLLECTOR_HOST", "seed.example.org:9618").resolves("seed.example.org", "203.0.113.10"),
                "resolves to 203.0.113.10, this instance's public IP",
                null));
        t.add(c(
                "the EC2 public DNS name",
                Check.COLLECTOR_ADDRESS,
                Severity.OK,
                s -> s.knob("COLLECTOR_HOST", "ec2-203-0-113-10.compute-1.amazonaws.com"),
                "EC2 public DNS name",
                null));
        t.add(c(
                "a sinful string",
                Check.COLLECTOR_ADDRESS,
                Severity.OK,
                s -> s.knob("COLLECTOR_HOST", "<203.0.113.10:9618?sock=collector>"),
                null,
                null));
        t.add(c(
                "loopback",
                Check.COLLECTOR_ADDRESS,
                Severity.FAILURE,
                s -> s.knob("COLLECTOR_HOST", "127.0.0.1:9618"),
                "loopback",
                "COLLECTOR_HOST = $(TCP_FORWARDING_HOST):9618"));
        t.add(c(
                "localhost",
                Check.COLLECTOR_ADDRESS,
                Severity.FAILURE,
                s -> s.knob("COLLECTOR_HOST", "localhost"),
                "this machine itself",
                null));
        t.add(c(
                "private address",
                Check.COLLECTOR_ADDRESS,
                Severity.FAILURE,
                s -> s.knob("COLLECTOR_HOST", "10.0.0.5:9618"),
                "private address, which annex nodes outside the VPC" + " cannot reach; the public IP is 203.0.113.10",
                null));
        t.add(c(
                "private address, no public IP",
                Check.COLLECTOR_ADDRESS,
                Severity.WARNING,
                s -> s.knob("COLLECTOR_HOST", "10.0.0.5:9618").metadata(NO_PUBLIC_IP),
                "only annex nodes inside the VPC",
                null));
        t.add(c(
                "stale public address",
                Check.COLLECTOR_ADDRESS,
                Severity.FAILURE,
                s -> s.knob("COLLECTOR_HOST", "198.51.100.7:9618"),
                "not this instance's public IP 203.0.113.10",
                null));
        t.add(c(
                "name that does not resolve",
                Check.COLLECTOR_ADDRESS,
                Severity.FAILURE,
                s -> s.knob("COLLECTOR_HOST", "cm.invalid").doesNotResolve("cm.invalid", "UnknownHostException"),
                "does not resolve here (UnknownHostException)",
                null));
        t.add(c(
                "name resolving privately",
                Check.COLLECTOR_ADDRESS,
                Severity.WARNING,
                s -> s.knob("COLLECTOR_HOST", "cm.corp.example").resolves("cm.corp.example", "10.0.0.5"),
                "private addresses only: outside the VPC it must resolve to 203.0.113.10",
                null));
        t.add(c(
                "EC2-internal name",
                Check.COLLECTOR_ADDRESS,
                Severity.FAILURE,
                s -> s.knob("COLLECTOR_HOST", "ip-10-0-0-5.ec2.internal:9618")
                        .resolves("ip-10-0-0-5.ec2.internal", "10.0.0.5"),
                "ip-10-0-0-5.ec2.internal is an EC2-internal name, which annex nodes outside the VPC"
                        + " cannot resolve",
                null));
        t.add(c(
                "EC2-internal name, no public IP",
                Check.COLLECTOR_ADDRESS,
                Severity.WARNING,
                s -> s.knob("COLLECTOR_HOST", "ip-10-0-0-5.eu-west-1.compute.internal")
                        .metadata(NO_PUBLIC_IP),
                "only annex nodes inside the VPC can resolve it",
                null));
        t.add(c(
                "not set",
                Check.COLLECTOR_ADDRESS,
                Severity.FAILURE,
                s -> s.without("COLLECTOR_HOST"),
                "COLLECTOR_HOST is not set",
                null));
        t.add(c(
                "forwarding host empty",
                Check.COLLECTOR_ADDRESS,
                Severity.FAILURE,
                s -> s.knob("COLLECTOR_HOST", ":9618", Seed.at(Seed.CONFIG, 17), "$(TCP_FORWARDING_HOST):9618"),
                "the host part is empty (TCP_FORWARDING_HOST is not set)",
                null));
        t.add(c(
                "public literal, metadata unavailable",
                Check.COLLECTOR_ADDRESS,
                Severity.WARNING,
                s -> s.knob("COLLECTOR_HOST", "198.51.100.7").metadata(UNAVAILABLE),
                "could not be compared",
                null));
        // forwarding-in-effect
        t.add(c(
                "from the fragment",
                Check.FORWARDING_IN_EFFECT,
                Severity.OK,
                s -> s,
                "TCP_FORWARDING_HOST = 203.0.113.10, the public IP, from seed-agent's fragment",
                null));
        t.add(c(
                "through $(EC2PublicIP)",
                Check.FORWARDING_IN_EFFECT,
                Severity.OK,
                s -> s.knob("TCP_FORWARDING_HOST", "203.0.113.10", Seed.at(Seed.CONFIG, 16), "$(EC2PublicIP)"),
                "which seed-agent's EC2PublicIP keeps current",
                null));
        t.add(c(
                "overridden by a later file",
                Check.FORWARDING_IN_EFFECT,
                Severity.FAILURE,
                s -> s.knob(
                        "TCP_FORWARDING_HOST",
                        "198.51.100.7",
                        Seed.at("/etc/condor/config.d/99-local", 3),
                        "198.51.100.7"),
                "TCP_FORWARDING_HOST is 198.51.100.7 (set at /etc/condor/config.d/99-local, line 3, which is read after"
                        + " seed-agent's fragment /etc/condor/config.d/50-seed-agent.conf and overrides it), not this"
                        + " instance's public IP 203.0.113.10",
                "remove TCP_FORWARDING_HOST from" + " /etc/condor/config.d/99-local (line 3)"));
        t.add(c(
                "right today, but overridden literally",
                Check.FORWARDING_IN_EFFECT,
                Severity.WARNING,
                s -> s.knob(
                        "TCP_FORWARDING_HOST",
                        "203.0.113.10",
                        Seed.at("/etc/condor/config.d/99-local", 3),
                        "203.0.113.10"),
                "is read after seed-agent's fragment",
                null));
        t.add(c(
                "stale fragment",
                Check.FORWARDING_IN_EFFECT,
                Severity.FAILURE,
                s -> s.knob("TCP_FORWARDING_HOST", "198.51.100.7", Seed.at(Seed.FRAGMENT, 7), "198.51.100.7"),
                "from seed-agent's fragment, which is out of date",
                "seed-agent once"));
        t.add(c(
                "not set, no fragment",
                Check.FORWARDING_IN_EFFECT,
                Severity.FAILURE,
                s -> s.without("TCP_FORWARDING_HOST").file(FileStat.missing(Seed.FRAGMENT)),
                "TCP_FORWARDING_HOST is not set",
                "seed-agent once"));
        t.add(c(
                "empty",
                Check.FORWARDING_IN_EFFECT,
                Severity.FAILURE,
                s -> s.knob("TCP_FORWARDING_HOST", "", Seed.at(Seed.CONFIG, 16), "$(EC2PublicIP)"),
                "TCP_FORWARDING_HOST is empty (set at /etc/condor/condor_config, line 16)",
                null));
        t.add(c(
                "no public IP, not set",
                Check.FORWARDING_IN_EFFECT,
                Severity.OK,
                s -> s.without("TCP_FORWARDING_HOST").metadata(NO_PUBLIC_IP),
                "no public IPv4",
                null));
        t.add(c(
                "no public IP, private address",
                Check.FORWARDING_IN_EFFECT,
                Severity.OK,
                s -> s.knob("TCP_FORWARDING_HOST", "10.0.0.5").metadata(NO_PUBLIC_IP),
                "its private address",
                null));
        t.add(c(
                "no public IP, something else",
                Check.FORWARDING_IN_EFFECT,
                Severity.WARNING,
                s -> s.metadata(NO_PUBLIC_IP),
                "has no public IPv4",
                null));
        t.add(c(
                "metadata unavailable",
                Check.FORWARDING_IN_EFFECT,
                Severity.WARNING,
                s -> s.metadata(UNAVAILABLE),
                "not checked: cannot read instance metadata: metadata service did not answer within 60s",
                null));
        // self-reachability
        t.add(c(
                "reached",
                Check.SELF_REACHABILITY,
                Severity.OK,
                s -> s,
                "connected to this instance's own public IP 203.0.113.10 on port 9618",
                null));
        t.add(c(
                "refused",
                Check.SELF_REACHABILITY,
                Severity.FAILURE,
                s -> s.reach(NetworkFacts.Outcome.FAILED, "no answer within 3000 ms"),
                "cannot connect to this instance's own public IP 203.0.113.10 on port 9618 (no answer within 3000 ms)",
                "allow inbound TCP port 9618 from the seed's own public IP 203.0.113.10/32"));
        t.add(c(
                "another shared port",
                Check.SELF_REACHABILITY,
                Severity.FAILURE,
                s -> s.knob("SHARED_PORT_PORT", "9620").reach(NetworkFacts.Outcome.FAILED, "refused"),
                "on port 9620",
                "--port 9620"));
        t.add(c(
                "HTCondor not running",
                Check.SELF_REACHABILITY,
                Severity.INFO,
                s -> s.reach(NetworkFacts.Outcome.NOT_RUNNING, null),
                "HTCondor is not running",
                null));
        t.add(c(
                "no public IP",
                Check.SELF_REACHABILITY,
                Severity.INFO,
                s -> s.metadata(NO_PUBLIC_IP),
                "not applicable",
                null));
        // legacy-boot-config
        t.add(c("absent", Check.LEGACY_BOOT_CONFIG, Severity.OK, s -> s, "no file from the old", null));
        t.add(c(
                "present",
                Check.LEGACY_BOOT_CONFIG,
                Severity.WARNING,
                s -> s.file(FileStat.of("/etc/condor/config.d/49ec2-instance.config", true, 0, "root", 0644)),
                "/etc/condor/config.d/49ec2-instance.config exists",
                "delete /etc/condor/config.d/49ec2-instance.config"));
        // password-file
        t.add(c("root, 0600", Check.PASSWORD_FILE, Severity.OK, s -> s, "is owned by root and has mode 0600", null));
        t.add(c(
                "mode 0644",
                Check.PASSWORD_FILE,
                Severity.FAILURE,
                s -> s.file(FileStat.of(Seed.PASSWORD_FILE, true, 0, "root", 0644)),
                "its mode 0644 gives group or" + " others access, so HTCondor refuses to use it",
                "`chmod 600 /etc/condor/condor_pool_password`"));
        t.add(c(
                "mode 0640",
                Check.PASSWORD_FILE,
                Severity.FAILURE,
                s -> s.file(FileStat.of(Seed.PASSWORD_FILE, true, 0, "root", 0640)),
                "mode 0640",
                null));
        t.add(c(
                "owned by a user",
                Check.PASSWORD_FILE,
                Severity.FAILURE,
                s -> s.file(FileStat.of(Seed.PASSWORD_FILE, true, 1000, "ec2-user", 0600)),
                "owned by ec2-user (uid 1000), not root",
                "`chown root:root /etc/condor/condor_pool_password`"));
        t.add(c(
                "missing",
                Check.PASSWORD_FILE,
                Severity.FAILURE,
                s -> s.file(FileStat.missing(Seed.PASSWORD_FILE)),
                "which does not exist",
                "condor_store_cred add -f /etc/condor/condor_pool_password"));
        t.add(c(
                "a directory",
                Check.PASSWORD_FILE,
                Severity.FAILURE,
                s -> s.file(FileStat.of(Seed.PASSWORD_FILE, false, 0, "root", 0700)),
                "is not a regular file",
                null));
        t.add(c(
                "not set",
                Check.PASSWORD_FILE,
                Severity.FAILURE,
                s -> s.without("SEC_PASSWORD_FILE"),
                "SEC_PASSWORD_FILE is not set",
                null));
        t.add(c(
                "relative",
                Check.PASSWORD_FILE,
                Severity.FAILURE,
                s -> s.knob("SEC_PASSWORD_FILE", "pool_password"),
                "is not an absolute path",
                null));
        // daemon-authentication
        t.add(c("REQUIRED with PASSWORD", Check.DAEMON_AUTHENTICATION, Severity.OK, s -> s, "REQUIRED", null));
        t.add(c(
                "default, lower-case required, IDTOKENS",
                Check.DAEMON_AUTHENTICATION,
                Severity.OK,
                s -> s.without("SEC_DAEMON_AUTHENTICATION")
                        .without("SEC_DAEMON_AUTHENTICATION_METHODS")
                        .knob("SEC_DEFAULT_AUTHENTICATION", "required")
                        .knob("SEC_DEFAULT_AUTHENTICATION_METHODS", "FS, IDTOKENS"),
                "SEC_DEFAULT_AUTHENTICATION = required",
                null));
        t.add(c(
                "methods not set",
                Check.DAEMON_AUTHENTICATION,
                Severity.OK,
                s -> s.without("SEC_DAEMON_AUTHENTICATION_METHODS"),
                "HTCondor's built-in list",
                null));
        t.add(c(
                "OPTIONAL",
                Check.DAEMON_AUTHENTICATION,
                Severity.FAILURE,
                s -> s.knob("SEC_DAEMON_AUTHENTICATION", "OPTIONAL"),
                "daemon authentication is not REQUIRED",
                "SEC_DAEMON_AUTHENTICATION = REQUIRED"));
        t.add(c(
                "not set",
                Check.DAEMON_AUTHENTICATION,
                Severity.FAILURE,
                s -> s.without("SEC_DAEMON_AUTHENTICATION"),
                "neither SEC_DAEMON_AUTHENTICATION nor SEC_DEFAULT_AUTHENTICATION is set",
                null));
        t.add(c(
                "daemon setting wins over default",
                Check.DAEMON_AUTHENTICATION,
                Severity.FAILURE,
                s -> s.knob("SEC_DAEMON_AUTHENTICATION", "PREFERRED").knob("SEC_DEFAULT_AUTHENTICATION", "REQUIRED"),
                "SEC_DAEMON_AUTHENTICATION = PREFERRED",
                null));
        t.add(c(
                "no annex method",
                Check.DAEMON_AUTHENTICATION,
                Severity.FAILURE,
                s -> s.knob("SEC_DAEMON_AUTHENTICATION_METHODS", "FS, KERBEROS"),
                "includes neither PASSWORD nor IDTOKENS",
                "SEC_DAEMON_AUTHENTICATION_METHODS = FS, IDTOKENS, PASSWORD"));
        // pool-identity
        t.add(c(
                "condor_pool@*",
                Check.POOL_IDENTITY,
                Severity.OK,
                s -> s,
                "ALLOW_DAEMON admits the pool identity (condor_pool@*); ALLOW_ADVERTISE_STARTD falls back to it",
                null));
        t.add(c(
                "condor@* (IDTOKENS)",
                Check.POOL_IDENTITY,
                Severity.OK,
                s -> s.knob("ALLOW_DAEMON", "condor@*  condor_pool@*"),
                "(condor@* condor_pool@*)",
                null));
        t.add(c(
                "condor@password",
                Check.POOL_IDENTITY,
                Severity.OK,
                s -> s.knob("ALLOW_DAEMON", "condor@password"),
                null,
                null));
        t.add(c(
                "host-based only",
                Check.POOL_IDENTITY,
                Severity.FAILURE,
                s -> s.knob("ALLOW_DAEMON", "vm 10.0.0.5"),
                "admits neither condor_pool@* nor condor@*",
                "condor_pool@*"));
        t.add(c(
                "restricted to hosts",
                Check.POOL_IDENTITY,
                Severity.FAILURE,
                s -> s.knob("ALLOW_DAEMON", "condor_pool@*/10.0.*"),
                "admits neither",
                null));
        t.add(c(
                "not set",
                Check.POOL_IDENTITY,
                Severity.FAILURE,
                s -> s.without("ALLOW_DAEMON"),
                "ALLOW_DAEMON is not set",
                null));
        t.add(c(
                "startd advertising restricted",
                Check.POOL_IDENTITY,
                Severity.FAILURE,
                s -> s.knob("ALLOW_ADVERTISE_STARTD", "$(FULL_HOSTNAME) vm"),
                "annex nodes' startds cannot advertise",
                "ALLOW_ADVERTISE_STARTD"));
        // open-access
        t.add(c(
                "nothing open",
                Check.OPEN_ACCESS,
                Severity.OK,
                s -> s,
                "neither ALLOW_WRITE nor ALLOW_DAEMON admits" + " everyone",
                null));
        t.add(c(
                "ALLOW_WRITE = * with required authentication",
                Check.OPEN_ACCESS,
                Severity.OK,
                s -> s.knob("ALLOW_WRITE", "*").knob("SEC_DEFAULT_AUTHENTICATION", "required"),
                "ALLOW_WRITE admits everyone (from /etc/condor/condor_config, line",
                null));
        t.add(c(
                "ALLOW_WRITE = * without",
                Check.OPEN_ACCESS,
                Severity.FAILURE,
                s -> s.knob("ALLOW_WRITE", "*"),
                "admits everyone while authentication is not required (SEC_WRITE_AUTHENTICATION and"
                        + " SEC_DEFAULT_AUTHENTICATION are not set)",
                "SEC_DEFAULT_AUTHENTICATION = REQUIRED"));
        t.add(c(
                "ALLOW_WRITE = *@*, write authentication optional",
                Check.OPEN_ACCESS,
                Severity.FAILURE,
                s -> s.knob("ALLOW_WRITE", "*@*")
                        .knob("SEC_DEFAULT_AUTHENTICATION", "REQUIRED")
                        .knob("SEC_WRITE_AUTHENTICATION", "OPTIONAL"),
                "SEC_WRITE_AUTHENTICATION = OPTIONAL",
                null));
        t.add(c(
                "ALLOW_DAEMON = *, daemon authentication optional",
                Check.OPEN_ACCESS,
                Severity.FAILURE,
                s -> s.knob("ALLOW_DAEMON", "*").knob("SEC_DAEMON_AUTHENTICATION", "optional"),
                "ALLOW_DAEMON = *",
                null));
        // public-address
        t.add(c("public IP", Check.PUBLIC_ADDRESS, Severity.OK, s -> s, "public IPv4 address 203.0.113.10", null));
        t.add(c(
                "none",
                Check.PUBLIC_ADDRESS,
                Severity.WARNING,
                s -> s.metadata(NO_PUBLIC_IP),
                "annex nodes can reach the seed only from inside its VPC",
                "Elastic IP"));
        t.add(c(
                "metadata unavailable",
                Check.PUBLIC_ADDRESS,
                Severity.FAILURE,
                s -> s.metadata(UNAVAILABLE),
                "cannot read instance metadata: metadata service did not answer within 60s",
                "metadata.endpoint"));
        // seed-lifecycle
        java.time.Instant asked = java.time.Instant.parse("2025-01-01T00:00:00Z");
        t.add(c(
                "an Elastic IP",
                Check.ELASTIC_IP,
                Severity.OK,
                s -> s,
                "203.0.113.10: Elastic IP eipalloc-0a1b2c3d4e5f60718: survives stop/start",
                null));
        t.add(c(
                "ephemeral",
                Check.ELASTIC_IP,
                Severity.WARNING,
                s -> s.elasticIp(org.seedagent.eip.AddressFact.ephemeral(asked, "203.0.113.10")),
                "an ephemeral address: the next stop/start changes it",
                "configure seed-agent to claim one"));
        t.add(c(
                "no permission",
                Check.ELASTIC_IP,
                Severity.INFO,
                s -> s.elasticIp(org.seedagent.eip.AddressFact.unknown(
                        asked,
                        "203.0.113.10",
                        "the instance profile's role seed is not allowed ec2:DescribeAddresses (UnauthorizedOperation)",
                        "allow ec2:DescribeAddresses in the role's policy")),
                "is unknown: the instance profile's role seed is not allowed ec2:DescribeAddresses",
                "allow ec2:DescribeAddresses"));
        t.add(c(
                "not asked, no public IP",
                Check.ELASTIC_IP,
                Severity.INFO,
                s -> s.elasticIp(null).metadata(NO_PUBLIC_IP),
                "no public IPv4 address, so no Elastic IP",
                null));
        t.add(c("on-demand", Check.SEED_LIFECYCLE, Severity.OK, s -> s, "instance-life-cycle is on-demand", null));
        t.add(c(
                "spot",
                Check.SEED_LIFECYCLE,
                Severity.WARNING,
                s -> s.metadata(MetadataFacts.of(
                        Seed.PUBLIC,
                        new InstanceFacts("i-0123456789abcdef0", "t3.small", "us-east-1", "spot", Seed.LOCAL),
                        MetadataFacts.InstanceProfile.ATTACHED)),
                "this is a spot instance",
                "on-demand"));
        t.add(c(
                "unknown",
                Check.SEED_LIFECYCLE,
                Severity.WARNING,
                s -> s.metadata(
                        MetadataFacts.of(Seed.PUBLIC, InstanceFacts.UNKNOWN, MetadataFacts.InstanceProfile.ATTACHED)),
                "not checked",
                null));
        // credentials
        t.add(c("instance profile", Check.CREDENTIALS, Severity.OK, s -> s, "an instance profile is attached", null));
        t.add(c(
                "neither profile nor key files",
                Check.CREDENTIALS,
                Severity.WARNING,
                s -> s.metadata(noProfile()),
                "no instance profile is attached and no annex key files are configured",
                "aws ec2 associate-iam-instance-profile"));
        t.add(c(
                "key files",
                Check.CREDENTIALS,
                Severity.OK,
                s -> keyFiles(s.metadata(noProfile()), true),
                "condor_annex uses the annex key files",
                null));
        t.add(c(
                "a key file missing",
                Check.CREDENTIALS,
                Severity.WARNING,
                s -> keyFiles(s.metadata(noProfile()), false),
                "ANNEX_DEFAULT_SECRET_KEY_FILE = /root/annex/secret does" + " not exist",
                null));
        t.add(c(
                "only one key file",
                Check.CREDENTIALS,
                Severity.WARNING,
                s -> keyFiles(s.metadata(noProfile()), true).without("ANNEX_DEFAULT_SECRET_KEY_FILE"),
                "condor_annex needs both key files",
                null));
        t.add(c(
                "metadata unavailable",
                Check.CREDENTIALS,
                Severity.WARNING,
                s -> s.metadata(UNAVAILABLE),
                "not checked",
                null));
        // imds-guard
        t.add(c(
                "nobody refused, guard applied",
                Check.IMDS_GUARD,
                Severity.OK,
                s -> s,
                "an unprivileged user's connection to 169.254.169.254:80 was rejected at once (Connection refused,"
                        + " 3 ms) while root reads instance metadata: the guard holds; seed-agent-imds-guard.service"
                        + " applied its rule set at 2025-01-01T10:00:00Z (found out by: a child process as uid 65534",
                null));
        t.add(c(
                "nobody refused by another firewall",
                Check.IMDS_GUARD,
                Severity.OK,
                s -> s.metadataAccess(access(MetadataAccess.Outcome.REFUSED, null)),
                "seed-agent's guard has no record of a rule set (/run/seed-agent-imds-guard/ruleset.nft): it was stopped (a stop"
                        + " leaves the root-only rule set in force), or another firewall blocks it",
                null));
        t.add(c(
                "nobody connects, profile attached",
                Check.IMDS_GUARD,
                Severity.FAILURE,
                s -> s.metadataAccess(access(MetadataAccess.Outcome.CONNECTED, null)),
                "an unprivileged user connected to the instance metadata service at 169.254.169.254:80, so any local"
                        + " user can read the instance profile's temporary credentials",
                "systemctl enable --now seed-agent-imds-guard.service"));
        t.add(c(
                "nobody connects, no profile",
                Check.IMDS_GUARD,
                Severity.INFO,
                s -> s.metadata(noProfile()).metadataAccess(access(MetadataAccess.Outcome.CONNECTED, null)),
                "no instance profile is attached now",
                "imds-guard.allow-users"));
        t.add(c(
                "nobody's connection dropped",
                Check.IMDS_GUARD,
                Severity.INFO,
                s -> s.metadataAccess(access(MetadataAccess.Outcome.TIMED_OUT, null)),
                "not answered within 3 ms while root reads instance metadata: something drops it",
                "reject it"));
        t.add(c(
                "refused, but root cannot read metadata either",
                Check.IMDS_GUARD,
                Severity.WARNING,
                s -> s.metadata(UNAVAILABLE).metadataAccess(access(MetadataAccess.Outcome.REFUSED, null)),
                "not checked: ",
                null));
        t.add(c(
                "probe failed",
                Check.IMDS_GUARD,
                Severity.WARNING,
                s -> s.metadataAccess(access(MetadataAccess.Outcome.FAILED, null)),
                "not checked: the probe failed",
                "setpriv"));
        t.add(c(
                "no privilege, guard applied",
                Check.IMDS_GUARD,
                Severity.INFO,
                s -> s.metadataAccess(MetadataAccess.notChecked(
                        "it needs root", GuardRecord.confirmed(Instant.parse("2025-01-01T10:00:00Z")))),
                "not checked: it needs root; seed-agent-imds-guard.service applied its rule set at"
                        + " 2025-01-01T10:00:00Z (/run/seed-agent-imds-guard/ruleset.nft), and"
                        + " seed-agent-imds-guard-watch.service sees its table in the kernel",
                "as root"));
        // Issue 21: the record outlives a flush of the rule set; only the watch's word says the table is there.
        t.add(c(
                "no privilege, guard applied, nothing watching",
                Check.IMDS_GUARD,
                Severity.WARNING,
                s -> s.metadataAccess(MetadataAccess.notChecked(
                        "it needs root",
                        new GuardRecord(Instant.parse("2025-01-01T10:00:00Z"), GuardRecord.Table.UNWATCHED))),
                "applied its rule set at 2025-01-01T10:00:00Z, but nothing confirms its table is still in the kernel:"
                        + " seed-agent-imds-guard-watch.service is not running",
                "systemctl restart" + " seed-agent-imds-guard.service"));
        t.add(c(
                "no privilege, the watch saw the table gone",
                Check.IMDS_GUARD,
                Severity.WARNING,
                s -> s.metadataAccess(
                        MetadataAccess.notChecked("it needs root", new GuardRecord(null, GuardRecord.Table.ABSENT))),
                "the guard's table is gone from the kernel: seed-agent-imds-guard-watch.service saw it removed",
                "journalctl -u seed-agent-imds-guard-watch.service"));
        t.add(c(
                "no privilege, table gone, no profile",
                Check.IMDS_GUARD,
                Severity.INFO,
                s -> s.metadata(noProfile())
                        .metadataAccess(MetadataAccess.notChecked(
                                "it needs root",
                                new GuardRecord(Instant.parse("2025-01-01T10:00:00Z"), GuardRecord.Table.ABSENT))),
                "the guard's table is gone from the kernel",
                "systemctl restart"));
        t.add(c(
                "no privilege, no guard, profile attached",
                Check.IMDS_GUARD,
                Severity.WARNING,
                s -> s.metadataAccess(MetadataAccess.notChecked("it needs root", null)),
                "has not applied its rule set",
                "imds-guard.enabled = true"));
        t.add(c(
                "no privilege, no guard, no profile",
                Check.IMDS_GUARD,
                Severity.INFO,
                s -> s.metadata(noProfile()).metadataAccess(MetadataAccess.notChecked("it needs root", null)),
                "no instance profile is attached",
                null));
        // credential-files
        t.add(c(
                "none",
                Check.CREDENTIAL_FILES,
                Severity.OK,
                s -> s,
                "no AWS credential files found (searched ~/.aws" + " of 3 home directories",
                null));
        t.add(c(
                "found",
                Check.CREDENTIAL_FILES,
                Severity.WARNING,
                s -> s.credentialFile("/root/.aws/credentials", "aws_access_key_id, aws_secret_access_key")
                        .credentialFile("/root/annex/secret", "annex key file, ANNEX_DEFAULT_SECRET_KEY_FILE"),
                "baked into any image made from it: /root/.aws/credentials (aws_access_key_id,"
                        + " aws_secret_access_key), /root/annex/secret (annex key file",
                "delete these files"));
        t.add(c(
                "a home that could not be searched",
                Check.CREDENTIAL_FILES,
                Severity.WARNING,
                s -> s.unsearchable("/root/.aws/credentials (permission denied: /root/.aws/credentials)"),
                "not checked: no AWS credential files found (searched ~/.aws of 3 home directories and the annex key"
                        + " files); could not look at /root/.aws/credentials (permission denied",
                "as root"));
        // scheduled-events, services-enabled, condor-restart, root-volume, instance-store (issue 16)
        Map<String, String> enabled = Map.of("condor.service", "enabled", "seed-agent.service", "enabled");
        org.seedagent.restart.ScheduledEvent stop = new org.seedagent.restart.ScheduledEvent(
                "instance-stop",
                null,
                "instance-event-1",
                java.time.Instant.parse("2025-01-05T02:00:00Z"),
                null,
                "active");
        org.seedagent.restart.ScheduledEvent done = new org.seedagent.restart.ScheduledEvent(
                "system-reboot", null, "instance-event-2", null, null, "completed");
        t.add(c("no events", Check.SCHEDULED_EVENTS, Severity.OK, s -> s, "no scheduled maintenance events", null));
        t.add(c(
                "only completed",
                Check.SCHEDULED_EVENTS,
                Severity.OK,
                s -> s.recovery(Seed.recovers(
                        enabled, "on-failure", RecoveryFacts.EBS_MODEL, List.of(), List.of(done), Map.of())),
                "no scheduled maintenance events still to come (1 completed or canceled)",
                null));
        t.add(c(
                "a stop",
                Check.SCHEDULED_EVENTS,
                Severity.WARNING,
                s -> s.recovery(Seed.recovers(
                        enabled, "on-failure", RecoveryFacts.EBS_MODEL, List.of(), List.of(stop), Map.of())),
                "EC2 scheduled instance-stop (instance-event-1, active) between 2025-01-05 02:00:00"
                        + " UTC and an open end: the seed will be stopped, which changes its public IP",
                "Elastic IP"));
        t.add(c(
                "unreadable",
                Check.SCHEDULED_EVENTS,
                Severity.WARNING,
                s -> s.recovery(Seed.recovers(
                        enabled,
                        "on-failure",
                        RecoveryFacts.EBS_MODEL,
                        List.of(),
                        null,
                        Map.of("events", "events/maintenance/scheduled: not JSON: \"<html>\""))),
                "not checked: events/maintenance/scheduled could not be read: events/maintenance/scheduled: not JSON",
                null));
        t.add(c(
                "both enabled",
                Check.SERVICES_ENABLED,
                Severity.OK,
                s -> s,
                "condor.service and seed-agent.service start at boot",
                null));
        t.add(c(
                "condor disabled",
                Check.SERVICES_ENABLED,
                Severity.FAILURE,
                s -> s.recovery(Seed.recovers(
                        Map.of("condor.service", "disabled", "seed-agent.service", "enabled"),
                        "on-failure",
                        RecoveryFacts.EBS_MODEL,
                        List.of(),
                        List.of(),
                        Map.of())),
                "condor.service is disabled: after a reboot or a stop/start the seed does not come back by itself",
                "systemctl enable condor.service seed-agent.service"));
        t.add(c(
                "no systemctl",
                Check.SERVICES_ENABLED,
                Severity.WARNING,
                s -> s.recovery(RecoveryFacts.unknown("cannot run systemctl: No such file or directory")),
                "not checked: systemctl is-enabled could not be run: cannot run systemctl",
                null));
        t.add(c(
                "on-failure",
                Check.CONDOR_RESTART,
                Severity.OK,
                s -> s,
                "condor.service has Restart=on-failure: systemd starts condor_master again",
                null));
        t.add(c(
                "no restart",
                Check.CONDOR_RESTART,
                Severity.FAILURE,
                s -> s.recovery(Seed.recovers(enabled, "no", RecoveryFacts.EBS_MODEL, List.of(), List.of(), Map.of())),
                "condor.service has Restart=no: if condor_master dies",
                "Restart=on-failure"));
        t.add(c("EBS", Check.ROOT_VOLUME, Severity.OK, s -> s, "the root volume nvme0n1 is an EBS volume", null));
        t.add(c(
                "instance store root",
                Check.ROOT_VOLUME,
                Severity.FAILURE,
                s -> s.recovery(Seed.recovers(
                        enabled, "on-failure", RecoveryFacts.INSTANCE_STORE_MODEL, List.of(), List.of(), Map.of())),
                "the root volume nvme0n1 is an instance-store volume",
                "EBS-backed image"));
        t.add(c(
                "unknown disk",
                Check.ROOT_VOLUME,
                Severity.INFO,
                s -> s.recovery(Seed.recovers(
                        enabled,
                        "on-failure",
                        null,
                        List.of(),
                        List.of(),
                        Map.of("root-disk", "the disk xvda has no model in /sys"))),
                "the root volume's type could not be told (the disk xvda has no model in /sys)",
                "RootDeviceType"));
        t.add(c("none", Check.INSTANCE_STORE, Severity.OK, s -> s, "no instance-store volumes", null));
        t.add(c(
                "instance store",
                Check.INSTANCE_STORE,
                Severity.WARNING,
                s -> s.recovery(Seed.recovers(
                        enabled,
                        "on-failure",
                        RecoveryFacts.EBS_MODEL,
                        List.of("nvme1n1", "block-device-mapping/ephemeral0"),
                        List.of(),
                        Map.of())),
                "this instance has instance-store volumes (nvme1n1, block-device-mapping/ephemeral0): EC2's simplified"
                        + " automatic recovery does not cover such instance types",
                "without instance-store volumes"));
        // htcondor-release
        t.add(c(
                "a good release, classic",
                Check.HTCONDOR_RELEASE,
                Severity.OK,
                s -> s,
                "HTCondor 24.0.23; annex nodes come from classic `condor_annex`",
                null));
        t.add(c(
                "a good release, htcondor annex",
                Check.HTCONDOR_RELEASE,
                Severity.OK,
                Seed::asHpcAnnex,
                "HTCondor 25.0.13; annex nodes come from `htcondor annex` (use feature:HPC_ANNEX), HPC_ANNEX_ENABLED"
                        + " from /etc/condor/condor_config, line 8 (use FEATURE:HPC_ANNEX+1)",
                null));
        for (String[] bad : new String[][] {
            {"24.0.22", "24.0.23"},
            {"24.12.22", "24.12.23"},
            {"25.0.12", "25.0.13"},
            {"25.11.1", "25.13.2"},
            {"25.12.2", "25.13.2"}
        }) {
            t.add(c(
                    "known bad " + bad[0],
                    Check.HTCONDOR_RELEASE,
                    Severity.FAILURE,
                    s -> s.knob("CONDOR_VERSION", bad[0], KnobLocation.DEFAULT, bad[0]),
                    "HTCondor " + bad[0] + " is known to break a seed: local FS authentication fails whenever"
                            + " TCP_FORWARDING_HOST is set",
                    "upgrade HTCondor to " + bad[1] + " or later"));
        }
        t.add(c(
                "the release after a bad one",
                Check.HTCONDOR_RELEASE,
                Severity.OK,
                s -> s.knob("CONDOR_VERSION", "25.13.2", KnobLocation.DEFAULT, "25.13.2"),
                "HTCondor 25.13.2",
                null));
        t.add(c(
                "unparseable",
                Check.HTCONDOR_RELEASE,
                Severity.WARNING,
                s -> s.knob("CONDOR_VERSION", "twenty-five"),
                "not checked: condor_config_val gave no release number:"
                        + " CONDOR_VERSION = twenty-five (from /etc/condor/condor_config, line",
                "condor_config_val -version"));
        t.add(c(
                "missing",
                Check.HTCONDOR_RELEASE,
                Severity.WARNING,
                s -> s.without("CONDOR_VERSION"),
                "CONDOR_VERSION is not set",
                null));
        // ap-collector
        t.add(c("classic: not applicable", Check.AP_COLLECTOR, Severity.OK, s -> s, "not applicable", null));
        t.add(c(
                "one schedd",
                Check.AP_COLLECTOR,
                Severity.OK,
                Seed::asHpcAnnex,
                "the AP collector answers at 203.0.113.10:9618?sock=ap_collector and holds one schedd ad,"
                        + " ip-10-0-0-5.ec2.internal",
                null));
        t.add(c(
                "not running",
                Check.AP_COLLECTOR,
                Severity.INFO,
                s -> s.asHpcAnnex().apCollector(ApCollectorAnswer.notRunning(Seed.ANNEX_COLLECTOR)),
                "HTCondor is not running",
                null));
        t.add(c(
                "no schedd",
                Check.AP_COLLECTOR,
                Severity.FAILURE,
                s -> s.asHpcAnnex()
                        .apCollector(new ApCollectorAnswer(
                                ApCollectorAnswer.Outcome.ANSWERED, Seed.ANNEX_COLLECTOR, List.of(), null)),
                "holds no schedd ad: `htcondor annex create` refuses",
                "SCHEDD.COLLECTOR_HOST"));
        t.add(c(
                "two schedds",
                Check.AP_COLLECTOR,
                Severity.FAILURE,
                s -> s.asHpcAnnex()
                        .apCollector(new ApCollectorAnswer(
                                ApCollectorAnswer.Outcome.ANSWERED, Seed.ANNEX_COLLECTOR, List.of("a.x", "b.x"), null)),
                "holds 2 schedd ads (a.x, b.x)",
                null));
        t.add(c(
                "does not answer",
                Check.AP_COLLECTOR,
                Severity.FAILURE,
                s -> s.asHpcAnnex()
                        .apCollector(new ApCollectorAnswer(
                                ApCollectorAnswer.Outcome.FAILED,
                                Seed.ANNEX_COLLECTOR,
                                List.of(),
                                "condor_status exited with status 1: \"Error: communication error\"")),
                "does not answer at 203.0.113.10:9618?sock=ap_collector: condor_status exited with status 1",
                "AP_Collector.log"));
        // annex-collector
        t.add(c(
                "classic: COLLECTOR_HOST",
                Check.ANNEX_COLLECTOR,
                Severity.OK,
                s -> s,
                "condor_annex gives annex nodes this seed's COLLECTOR_HOST",
                null));
        t.add(c(
                "htcondor annex: the public address",
                Check.ANNEX_COLLECTOR,
                Severity.OK,
                Seed::asHpcAnnex,
                "ANNEX_COLLECTOR = 203.0.113.10:9618?sock=ap_collector (from /etc/condor/condor_config, line 8"
                        + " (use FEATURE:HPC_ANNEX+24)): annex nodes are given 203.0.113.10 (TCP_FORWARDING_HOST,"
                        + " this instance's public IP) on the shared port 9618",
                null));
        t.add(c(
                "overridden to a private address",
                Check.ANNEX_COLLECTOR,
                Severity.FAILURE,
                s -> s.asHpcAnnex().knob("ANNEX_COLLECTOR", "10.0.0.5:9618?sock=ap_collector"),
                "10.0.0.5 is a private address, which annex nodes outside the VPC cannot reach; the public IP is"
                        + " 203.0.113.10",
                "remove ANNEX_COLLECTOR"));
        t.add(c(
                "a stale literal",
                Check.ANNEX_COLLECTOR,
                Severity.FAILURE,
                s -> s.asHpcAnnex().knob("ANNEX_COLLECTOR", "198.51.100.7:9618?sock=ap_collector"),
                "198.51.100.7 is not this instance's public IP 203.0.113.10",
                null));
        t.add(c(
                "the public IP, literally",
                Check.ANNEX_COLLECTOR,
                Severity.WARNING,
                s -> s.asHpcAnnex().knob("ANNEX_COLLECTOR", "203.0.113.10:9618?sock=ap_collector"),
                "literally: it goes stale",
                "remove ANNEX_COLLECTOR"));
        t.add(c(
                "no TCP_FORWARDING_HOST",
                Check.ANNEX_COLLECTOR,
                Severity.FAILURE,
                s -> s.asHpcAnnex()
                        .without("TCP_FORWARDING_HOST")
                        .knob(
                                "ANNEX_COLLECTOR",
                                "ip-10-0-0-5.ec2.internal:9618?sock=ap_collector",
                                Seed.at(Seed.CONFIG, 8),
                                "$(TCP_FORWARDING_HOST:$(FULL_HOSTNAME)):$(SHARED_PORT_PORT)?sock=ap_collector"),
                "TCP_FORWARDING_HOST is not set, so its host is this machine's name ip-10-0-0-5.ec2.internal",
                "seed-agent once"));
        t.add(c(
                "shared port off",
                Check.ANNEX_COLLECTOR,
                Severity.FAILURE,
                s -> s.asHpcAnnex().knob("USE_SHARED_PORT", "false"),
                "USE_SHARED_PORT = false (from /etc/condor/condor_config, line",
                "remove USE_SHARED_PORT = false"));
        t.add(c(
                "no AP_COLLECTOR",
                Check.ANNEX_COLLECTOR,
                Severity.FAILURE,
                s -> s.asHpcAnnex().knob("DAEMON_LIST", "MASTER COLLECTOR NEGOTIATOR SCHEDD"),
                "lacks AP_COLLECTOR: nothing answers at ANNEX_COLLECTOR",
                "add AP_COLLECTOR to DAEMON_LIST"));
        t.add(c(
                "a port that is not the shared port",
                Check.ANNEX_COLLECTOR,
                Severity.FAILURE,
                s -> s.asHpcAnnex()
                        .knob(
                                "ANNEX_COLLECTOR",
                                "203.0.113.10:9620?sock=ap_collector",
                                Seed.at(Seed.CONFIG, 9),
                                "$(TCP_FORWARDING_HOST):9620?sock=ap_collector"),
                "its port 9620 is not the shared port 9618",
                null));
        t.add(c(
                "25.0 without HPC_ANNEX",
                Check.ANNEX_COLLECTOR,
                Severity.FAILURE,
                s -> s.knob("CONDOR_VERSION", "25.0.13", KnobLocation.DEFAULT, "25.0.13"),
                "HTCondor 25.0.13 has no condor_annex (withdrawn in 24.11), and HPC_ANNEX is not enabled",
                "use feature:HPC_ANNEX"));
        // collector-address on an htcondor annex seed
        t.add(c(
                "htcondor annex: a private COLLECTOR_HOST is fine",
                Check.COLLECTOR_ADDRESS,
                Severity.OK,
                Seed::asHpcAnnex,
                "COLLECTOR_HOST = 10.0.0.5 (from HTCondor's built-in default): the seed's own daemons"
                        + " use it; `htcondor annex` gives annex nodes ANNEX_COLLECTOR instead",
                null));
        // password-file on an htcondor annex seed
        t.add(c(
                "htcondor annex: POOL not made yet",
                Check.PASSWORD_FILE,
                Severity.INFO,
                s -> s.asHpcAnnex()
                        .apCollector(ApCollectorAnswer.notRunning(Seed.ANNEX_COLLECTOR))
                        .file(FileStat.missing(Seed.PASSWORD_FILE)),
                "the POOL signing key, does not exist yet: the collector creates it",
                null));
        t.add(c(
                "htcondor annex: POOL missing while running",
                Check.PASSWORD_FILE,
                Severity.WARNING,
                s -> s.asHpcAnnex().file(FileStat.missing(Seed.PASSWORD_FILE)),
                "does not exist although HTCondor runs",
                "CollectorLog"));
        t.add(c(
                "htcondor annex: POOL readable by others",
                Check.PASSWORD_FILE,
                Severity.FAILURE,
                s -> s.asHpcAnnex().file(FileStat.of(Seed.PASSWORD_FILE, true, 0, "root", 0644)),
                "gives group or others access",
                "chmod 600"));
        // annex-signing-key
        t.add(c("classic: not applicable", Check.ANNEX_SIGNING_KEY, Severity.OK, s -> s, "not applicable", null));
        t.add(c(
                "root-only",
                Check.ANNEX_SIGNING_KEY,
                Severity.OK,
                Seed::asHpcAnnex,
                "/etc/condor/passwords.d/AP (the AP signing key) is owned by root with mode 0600",
                null));
        t.add(c(
                "not made yet",
                Check.ANNEX_SIGNING_KEY,
                Severity.INFO,
                s -> s.asHpcAnnex()
                        .apCollector(ApCollectorAnswer.notRunning(Seed.ANNEX_COLLECTOR))
                        .file(FileStat.missing(Seed.AP_KEY)),
                "does not exist yet: the AP collector creates it",
                null));
        t.add(c(
                "missing while running",
                Check.ANNEX_SIGNING_KEY,
                Severity.FAILURE,
                s -> s.asHpcAnnex().file(FileStat.missing(Seed.AP_KEY)),
                "does not exist although HTCondor runs",
                "AP_Collector.log"));
        t.add(c(
                "world-readable",
                Check.ANNEX_SIGNING_KEY,
                Severity.FAILURE,
                s -> s.asHpcAnnex().file(FileStat.of(Seed.AP_KEY, true, 0, "root", 0644)),
                "its mode 0644 lets others read it: whoever reads it can sign tokens",
                "chmod 600 /etc/condor/passwords.d/AP"));
        t.add(c(
                "owned by a user",
                Check.ANNEX_SIGNING_KEY,
                Severity.FAILURE,
                s -> s.asHpcAnnex().file(FileStat.of(Seed.AP_KEY, true, 1000, "alice", 0600)),
                "it is owned by alice, not root",
                "chown root:root"));
        t.add(c(
                "another key name",
                Check.ANNEX_SIGNING_KEY,
                Severity.OK,
                s -> s.asHpcAnnex()
                        .knob("ANNEX_TOKEN_KEY_NAME", "ANNEX")
                        .file(FileStat.of("/etc/condor/passwords.d/ANNEX", true, 0, "root", 0600)),
                "/etc/condor/passwords.d/ANNEX (the AP signing key)",
                null));
        // trust-domain
        t.add(c(
                "the default",
                Check.TRUST_DOMAIN,
                Severity.OK,
                s -> s,
                "TRUST_DOMAIN = vm (from HTCondor's built-in default) does not follow the public address",
                null));
        t.add(c(
                "follows TCP_FORWARDING_HOST",
                Check.TRUST_DOMAIN,
                Severity.FAILURE,
                s -> s.knob("TRUST_DOMAIN", "203.0.113.10", Seed.at(Seed.CONFIG, 30), "$(TCP_FORWARDING_HOST)"),
                "TRUST_DOMAIN = 203.0.113.10 (from /etc/condor/condor_config, line 30) follows the public address",
                "set TRUST_DOMAIN to a name that does not change"));
        t.add(c(
                "the public IP through UID_DOMAIN",
                Check.TRUST_DOMAIN,
                Severity.FAILURE,
                s -> s.asHpcAnnex().knob("TRUST_DOMAIN", "203.0.113.10", KnobLocation.DEFAULT, "$(UID_DOMAIN)"),
                "follows the public address",
                null));
        return t;
    }

    private static MetadataAccess access(MetadataAccess.Outcome outcome, Instant applied) {
        return new MetadataAccess(
                outcome,
                "169.254.169.254:80",
                "a child process as uid 65534",
                3,
                outcome == MetadataAccess.Outcome.REFUSED
                        ? "Connection refused"
                        : outcome == MetadataAccess.Outcome.FAILED ? "cannot run /usr/bin/setpriv" : null,
                applied == null ? GuardRecord.NONE : GuardRecord.confirmed(applied));
    }

    private static MetadataFacts noProfile() {
        return MetadataFacts.of(Seed.PUBLIC, Seed.ON_DEMAND, MetadataFacts.InstanceProfile.NONE);
    }

    private static Seed keyFiles(Seed seed, boolean secretExists) {
        seed.knob("ANNEX_DEFAULT_ACCESS_KEY_FILE", "/root/annex/access")
                .knob("ANNEX_DEFAULT_SECRET_KEY_FILE", "/root/annex/secret")
                .file(FileStat.of("/root/annex/access", true, 0, "root", 0600));
        return seed.file(
                secretExists
                        ? FileStat.of("/root/annex/secret", true, 0, "root", 0600)
                        : FileStat.missing("/root/annex/secret"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void check_case_givesExpectedResult(Case row) {
        CheckResult result =
                row.change().apply(Seed.healthy()).result(row.check().id());

        assertEquals(row.severity(), result.severity(), () -> result.toString());
        assertEquals(row.check().area(), result.area());
        if (row.finding() != null) {
            assertTrue(result.finding().contains(row.finding()), () -> "finding: " + result.finding());
        }
        if (row.remedy() != null) {
            assertNotNull(result.remedy());
            assertTrue(result.remedy().contains(row.remedy()), () -> "remedy: " + result.remedy());
        }
    }

    @Test
    void everyCheck_hasAPassingAndAFailingCase() {
        Map<Check, List<Severity>> seen = cases().stream()
                .collect(Collectors.groupingBy(Case::check, Collectors.mapping(Case::severity, Collectors.toList())));
        for (Check check : Check.values()) {
            List<Severity> severities = seen.getOrDefault(check, List.of());
            assertTrue(severities.stream().anyMatch(s -> s.compareTo(Severity.INFO) <= 0), check + " never passes");
            assertTrue(severities.stream().anyMatch(s -> s.compareTo(Severity.WARNING) >= 0), check + " never fails");
        }
    }

    @Test
    void healthySeed_allOk_jobLeaseInfo_inCheckOrder() {
        List<CheckResult> results = Seed.healthy().results();

        assertEquals(
                Arrays.stream(Check.values()).map(Check::id).toList(),
                results.stream().map(CheckResult::id).toList());
        for (CheckResult r : results) {
            assertEquals(r.id().equals("job-lease") ? Severity.INFO : Severity.OK, r.severity(), r::toString);
        }
    }

    @Test
    void hpcAnnexSeed_allOk_jobLeaseInfo_noRemedyHairpinsThroughThePublicAddress() {
        List<CheckResult> results = Seed.hpcAnnex().results();

        for (CheckResult r : results) {
            assertEquals(r.id().equals("job-lease") ? Severity.INFO : Severity.OK, r.severity(), r::toString);
            assertTrue(
                    r.remedy() == null || !r.remedy().contains("COLLECTOR_HOST = $(TCP_FORWARDING_HOST)"), r::toString);
        }
    }

    /** Issue 20: a real seed's CONDOR_HOST is its EC2-internal name; on an htcondor annex seed that is fine. */
    @ParameterizedTest
    @ValueSource(strings = {"ip-10-0-0-5.ec2.internal", "ip-10-0-0-5.ec2.internal:9618", "10.0.0.5:9618"})
    void hpcAnnexSeed_collectorHostThePrivateName_ok_noRemedyHairpins(String collectorHost) {
        List<CheckResult> results = Seed.hpcAnnex()
                .knob("COLLECTOR_HOST", collectorHost, KnobLocation.DEFAULT, "$(CONDOR_HOST)")
                .results();

        CheckResult collector = results.stream()
                .filter(r -> r.id().equals("collector-address"))
                .findFirst()
                .orElseThrow();
        assertEquals(Severity.OK, collector.severity(), collector::toString);
        for (CheckResult r : results) {
            assertEquals(r.id().equals("job-lease") ? Severity.INFO : Severity.OK, r.severity(), r::toString);
            assertTrue(r.remedy() == null || !r.remedy().contains("$(TCP_FORWARDING_HOST)"), r::toString);
        }
    }

    @Test
    void guardOn_credentialsSayWhoCanUseTheRole_classicInfo_htcondorAnnexWithNobodyAllowedWarns() {
        org.seedagent.config.ImdsGuardSettings onlyRoot =
                new org.seedagent.config.ImdsGuardSettings(true, List.of(), List.of());
        org.seedagent.config.ImdsGuardSettings alice =
                new org.seedagent.config.ImdsGuardSettings(true, List.of("alice"), List.of("annex"));

        CheckResult classic = credentials(
                Checks.withRoleUsers(Seed.healthy().results(), Seed.healthy().input(), onlyRoot));
        assertEquals(Severity.INFO, classic.severity());
        assertTrue(
                classic.finding()
                        .startsWith(
                                "an instance profile is attached (iam/info), and the IMDS guard lets only"
                                        + " root reach its credentials: anyone else's condor_annex with the instance's credentials fails"),
                classic.finding());
        assertTrue(
                classic.remedy().contains("imds-guard.allow-users")
                        && classic.remedy().contains("annex key files")
                        && classic.remedy().contains("separate, narrower role"),
                classic.remedy());

        Seed modern = Seed.hpcAnnex();
        CheckResult nobody = credentials(Checks.withRoleUsers(modern.results(), modern.input(), onlyRoot));
        assertEquals(Severity.WARNING, nobody.severity());
        assertTrue(
                nobody.finding().contains("root may not submit jobs, so no EC2 annex can be made"), nobody.finding());

        CheckResult listed = credentials(Checks.withRoleUsers(modern.results(), modern.input(), alice));
        assertEquals(Severity.INFO, listed.severity());
        assertTrue(
                listed.finding()
                        .contains("lets only root, user alice, group annex reach its credentials: anyone"
                                + " else's `htcondor annex`"),
                listed.finding());

        assertEquals(
                Seed.healthy().results(),
                Checks.withRoleUsers(
                        Seed.healthy().results(),
                        Seed.healthy().input(),
                        new org.seedagent.config.ImdsGuardSettings(false, List.of(), List.of())),
                "guard off: as it was");
    }

    private static CheckResult credentials(List<CheckResult> results) {
        return results.stream()
                .filter(r -> r.id().equals("credentials"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void imdsV1_answers_warns_requiresToken_saysSo_notChecked_asItWas() {
        List<CheckResult> base = Seed.healthy().results();
        CheckResult answers = guardOf(Checks.withImdsV1(
                base,
                new org.seedagent.guard.ImdsV1Probe.Result(org.seedagent.guard.ImdsV1Probe.Outcome.ANSWERS, null),
                "i-0123456789abcdef0"));
        assertEquals(Severity.WARNING, answers.severity());
        assertTrue(
                answers.remedy().contains("--instance-id i-0123456789abcdef0 --http-tokens required"),
                answers.remedy());
        CheckResult v2 = guardOf(Checks.withImdsV1(
                base,
                new org.seedagent.guard.ImdsV1Probe.Result(
                        org.seedagent.guard.ImdsV1Probe.Outcome.REQUIRES_TOKEN, null),
                null));
        assertEquals(guardOf(base).severity(), v2.severity());
        assertTrue(
                v2.finding()
                        .endsWith("; tokens are required (IMDSv2 only; keep the PUT's hop limit at 1 so that"
                                + " containers get no token)"),
                v2.finding());
        assertEquals(base, Checks.withImdsV1(base, org.seedagent.guard.ImdsV1Probe.Result.notChecked("x"), null));
    }

    private static CheckResult guardOf(List<CheckResult> results) {
        return results.stream()
                .filter(r -> r.id().equals("imds-guard"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void knownValues_remediesNameTheRealConfigFileAndInstance_guardRemedyWithoutTheDefault() {
        List<CheckResult> base = Seed.healthy()
                .condorFails(CondorEvaluation.Kind.NOT_INSTALLED, "cannot run x", null, 0)
                .metadataAccess(MetadataAccess.notChecked("the daemon does not switch users", null))
                .results();
        List<CheckResult> known =
                Checks.withKnownValues(base, java.nio.file.Path.of("/srv/agent.conf"), "i-0abc", true);

        CheckResult condor = known.stream()
                .filter(r -> r.id().equals("condor-config"))
                .findFirst()
                .orElseThrow();
        assertTrue(
                condor.remedy().contains("(/srv/agent.conf)")
                        && !condor.remedy().contains("/etc/seed-agent"),
                condor.remedy());
        for (CheckResult r : known) {
            assertTrue(r.remedy() == null || !r.remedy().contains("<id>"), r.toString());
        }
        String guard = known.stream()
                .filter(r -> r.id().equals("imds-guard"))
                .findFirst()
                .orElseThrow()
                .remedy();
        assertTrue(guard == null || !guard.contains("set imds-guard.enabled = true"), guard);
        assertEquals(base, Checks.withKnownValues(base, null, null, false), "nothing known: as it was");
    }

    /**
     * Issue 22: remedies that can be pasted. Results whose remedies hold {@code <id>} (no instance profile, an
     * ephemeral address) get the instance's id; a seed whose HTCondor unit is not condor.service gets its unit in
     * every systemctl command.
     */
    @Test
    void knownValues_instanceIdAndCondorUnit_inEveryRemedy() {
        List<CheckResult> base = Seed.healthy()
                .metadata(noProfile())
                .elasticIp(org.seedagent.eip.AddressFact.ephemeral(
                        java.time.Instant.parse("2025-01-01T00:00:00Z"), Seed.PUBLIC.text()))
                .knob(
                        "TCP_FORWARDING_HOST",
                        "198.51.100.7",
                        Seed.at("/etc/condor/config.d/99-old-seed.conf", 3),
                        "198.51.100.7")
                .results();
        long withId = base.stream()
                .filter(r -> r.remedy() != null && r.remedy().contains("<id>"))
                .count();
        long withUnit = base.stream()
                .filter(r -> r.remedy() != null && r.remedy().contains("systemctl reload condor"))
                .count();
        assertTrue(
                withId >= 2 && withUnit >= 1, withId + " remedies with <id>, " + withUnit + " with the unit: " + base);

        List<CheckResult> known = Checks.withKnownValues(base, null, "i-0abc", false, "condor-seed.service");

        for (CheckResult r : known) {
            assertTrue(r.remedy() == null || !r.remedy().contains("<id>"), r.toString());
            assertTrue(
                    r.remedy() == null
                            || !r.remedy()
                                    .matches("(?s).*systemctl (reload|restart) condor(\\.service)?\\b(?![-.@\\w]).*"),
                    r.toString());
        }
        assertEquals(
                withId,
                known.stream()
                        .filter(r -> r.remedy() != null && r.remedy().contains("i-0abc"))
                        .count());
        assertTrue(
                known.stream()
                        .anyMatch(r ->
                                r.remedy() != null && r.remedy().contains("`systemctl reload condor-seed.service`")),
                known.toString());
    }

    @Test
    void recovery_aCondorUnitOfItsOwnName_isTheOneJudged() {
        RecoveryFacts facts = new RecoveryFacts(
                java.util.Map.of("condor-seed.service", "disabled", "seed-agent.service", "enabled"),
                "no",
                "nvme0n1",
                RecoveryFacts.EBS_MODEL,
                List.of(),
                List.of(),
                java.util.Map.of(),
                "condor-seed.service");

        CheckResult enabled = RecoveryChecks.servicesEnabled(facts);
        CheckResult restart = RecoveryChecks.condorRestart(facts);

        assertEquals(Severity.FAILURE, enabled.severity());
        assertTrue(enabled.finding().startsWith("condor-seed.service is disabled"), enabled.finding());
        assertEquals("systemctl enable condor-seed.service seed-agent.service", enabled.remedy());
        assertTrue(restart.remedy().startsWith("systemctl edit condor-seed.service"), restart.remedy());
    }

    @Test
    void eipAllowReassociation_elasticIpWarns_thatImagesTakeTheAddress() {
        List<CheckResult> results = Checks.withReassociation(
                Seed.healthy().results(),
                new org.seedagent.config.ElasticIpSettings(
                        "eipalloc-0123456789abcdef0", null, true, java.time.Duration.ofSeconds(30), null));

        CheckResult eip = results.stream()
                .filter(r -> r.id().equals("elastic-ip"))
                .findFirst()
                .orElseThrow();
        assertEquals(Severity.WARNING, eip.severity());
        assertTrue(
                eip.finding()
                        .endsWith("; eip.allow-reassociation = true: an instance launched from an image of this"
                                + " seed takes eipalloc-0123456789abcdef0 from this seed at its first boot"),
                eip.finding());
        assertTrue(eip.remedy().contains("set eip.allow-reassociation = false"), eip.remedy());
        assertEquals(Seed.healthy().results().size(), results.size());
        List<CheckResult> without = Checks.withReassociation(
                Seed.healthy().results(),
                new org.seedagent.config.ElasticIpSettings(
                        "eipalloc-0123456789abcdef0", null, false, java.time.Duration.ofSeconds(30), null));
        assertEquals(Seed.healthy().results(), without);
    }

    @Test
    void condorNotEvaluated_everyConfigCheckSaysNotChecked_andOnlyCondorConfigFails() {
        List<CheckResult> results = Seed.healthy()
                .condorFails(CondorEvaluation.Kind.NOT_INSTALLED, "cannot run /usr/bin/condor_config_val", null, 0)
                .results();

        assertEquals(Check.values().length, results.size());
        assertEquals(
                List.of("condor-config"),
                results.stream()
                        .filter(r -> r.severity() == Severity.FAILURE)
                        .map(CheckResult::id)
                        .toList());
        for (String id : List.of(
                "central-manager",
                "submit-node",
                "job-lease",
                "collector-address",
                "forwarding-in-effect",
                "self-reachability",
                "password-file",
                "daemon-authentication",
                "pool-identity",
                "open-access")) {
            CheckResult r =
                    results.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
            assertEquals(Severity.WARNING, r.severity(), id);
            assertTrue(r.finding().startsWith("not checked: HTCondor's configuration could not be evaluated"), id);
        }
    }

    @Test
    void evaluate_isPure_sameInputSameResults() {
        CheckInput input = Seed.healthy().knob("ALLOW_WRITE", "*").input();

        assertEquals(Checks.evaluate(input), Checks.evaluate(input));
    }

    @Test
    void hostileValues_areEscapedIntoOneLine() {
        CheckResult r = Seed.healthy()
                .knob("DAEMON_LIST", "MASTER\nFAILURE forged line\u001b[31m")
                .result("central-manager");

        assertTrue(!r.finding().contains("\n") && !r.finding().contains("\u001b"), r.finding());
    }

    @Test
    void selfReachabilityPort_followsSharedPortSettings() {
        assertEquals(9618, Checks.selfReachabilityPort(Seed.healthy().view()));
        assertEquals(
                9620,
                Checks.selfReachabilityPort(
                        Seed.healthy().knob("SHARED_PORT_PORT", "9620").view()));
        assertEquals(
                9700,
                Checks.selfReachabilityPort(Seed.healthy()
                        .knob("USE_SHARED_PORT", "false")
                        .knob("COLLECTOR_PORT", "9700")
                        .view()));
        assertEquals(
                9618,
                Checks.selfReachabilityPort(
                        Seed.healthy().knob("SHARED_PORT_PORT", "70000").view()));
    }

    @Test
    void namesToResolve_skipsAddresses() {
        assertEquals(
                List.of("cm.example.org", "seed.example.org"),
                List.copyOf(Checks.namesToResolve(Seed.healthy()
                        .knob("COLLECTOR_HOST", "cm.example.org:9618, 203.0.113.10, <[2001:db8::1]:9618>")
                        .knob("TCP_FORWARDING_HOST", "seed.example.org")
                        .view())));
    }

    @Test
    void filesToExamine_includesPasswordAndKeyFiles() {
        assertEquals(
                List.of(
                        Seed.FRAGMENT,
                        "/etc/condor/config.d/49ec2-instance.config",
                        Seed.PASSWORD_FILE,
                        "/root/annex/access"),
                Checks.filesToExamine(
                        Seed.healthy()
                                .knob("ANNEX_DEFAULT_ACCESS_KEY_FILE", "/root/annex/access")
                                .knob("ANNEX_DEFAULT_SECRET_KEY_FILE", "relative/secret")
                                .view(),
                        Seed.FRAGMENT));
    }

    @Test
    void ipv4Helpers() {
        assertEquals(
                Ipv4Address.parse("203.0.113.10"),
                Addresses.ec2PublicName("ec2-203-0-113-10.us-west-2.compute.amazonaws.com"));
        assertEquals("203.0.113.10", Addresses.hostOf("<203.0.113.10:9618?addrs=203.0.113.10-9618&noUDP>"));
        assertEquals("2001:db8::1", Addresses.hostOf("[2001:db8::1]:9618"));
        assertEquals("cm", Addresses.hostOf("cm"));
    }
}
