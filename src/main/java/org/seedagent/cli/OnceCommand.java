package org.seedagent.cli;

import java.util.List;
import java.util.Optional;
import org.seedagent.config.AgentConfig;
import org.seedagent.fragment.FragmentFile;
import org.seedagent.fragment.FragmentWriteException;
import org.seedagent.logging.LogSettings;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.metadata.MetadataException;
import org.seedagent.metadata.MetadataSource;
import org.seedagent.sync.SyncException;
import org.seedagent.sync.SyncResult;
import org.seedagent.sync.Synchronizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code seed-agent once}: the boot job. Fetch the address, write the fragment if it changed, exit. */
final class OnceCommand implements Command {
    private static final Logger log = LoggerFactory.getLogger(OnceCommand.class);

    @Override
    public String name() {
        return "once";
    }

    @Override
    public String summary() {
        return "fetch the public IPv4 and write the HTCondor fragment if it changed, then exit";
    }

    @Override
    public String usage() {
        return """
                Usage: seed-agent once [--config FILE]

                Reads the instance's public IPv4 address from the EC2 instance metadata service (IMDSv2),
                writes the HTCondor config fragment if (and only if) its content changed, prints one line
                saying what it did, and exits. It does not reload HTCondor.

                Exit codes: 0 done (written, unchanged, or no public IPv4), 2 usage error,
                69 metadata service unavailable, 73 cannot write the fragment, 78 configuration error.
                """;
    }

    @Override
    public int run(CliContext context, List<String> arguments) throws UsageException, InterruptedException {
        Arguments.none(name(), arguments);
        Optional<AgentConfig> loaded = context.validConfig(why -> log.error("{}", why));
        return loaded.isPresent() ? syncOnce(context, loaded.get()) : ExitCode.CONFIG;
    }

    /** The boot job with an already loaded configuration; the demo calls this too. */
    static int syncOnce(CliContext context, AgentConfig config) throws InterruptedException {
        LogSettings.get().setLevel(config.logLevel());
        try (MetadataSource source = CliContext.withProgress(
                context.metadataSources().apply(CliContext.metadataSettings(config)), context)) {
            InstanceMetadata metadata = new InstanceMetadata(source);
            if (config.elasticIp().claims()) {
                // In its own class, so a boot job without an Elastic IP never loads the EC2 client.
                ElasticIpBoot.claim(context, config, metadata);
            }
            Optional<Ipv4Address> publicIpv4 = metadata.publicIpv4();
            // The private address is needed only without a public one (no-public-ip = local-ipv4).
            InstanceFacts facts = publicIpv4.isPresent() ? metadata.identity() : metadata.facts();
            SyncResult result = new Synchronizer(new FragmentFile(config.fragmentPath()), config.noPublicIp())
                    .apply(publicIpv4, facts);
            context.out().println(result.describe());
            return ExitCode.OK;
        } catch (MetadataException e) {
            // The metadata client's message names the service's URL; said once (issue 22).
            String why = e.getMessage();
            log.error(
                    "cannot read the instance's address: {}",
                    why != null && why.contains(config.metadataEndpoint().toString())
                            ? why
                            : "the metadata service at " + config.metadataEndpoint() + ": " + why);
            return ExitCode.UNAVAILABLE;
        } catch (SyncException e) {
            log.error("{}", e.getMessage());
            return ExitCode.UNAVAILABLE;
        } catch (FragmentWriteException e) {
            log.error("{}; the previous fragment, if any, is unchanged", e.getMessage());
            return ExitCode.CANT_CREATE;
        }
    }
}
