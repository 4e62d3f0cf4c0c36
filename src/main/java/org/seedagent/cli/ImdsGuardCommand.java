package org.seedagent.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.ConfigException;
import org.seedagent.config.ImdsGuardSettings;
import org.seedagent.guard.Account;
import org.seedagent.guard.AccountResolver;
import org.seedagent.guard.GuardRuleset;
import org.seedagent.guard.ImdsGuard;
import org.seedagent.guard.SubordinateIds;
import org.seedagent.logging.LogFormat;

/**
 * {@code seed-agent imds-guard apply|remove|print}: the IMDS guard's rule set, made from the agent's
 * configuration. {@code apply} is what {@code seed-agent-imds-guard.service} runs at start and reload.
 */
public final class ImdsGuardCommand implements Command {
    /** EX_OSERR: nft could not be run or refused the rule set. */
    static final int NFT_FAILED = 71;

    @Override
    public String name() {
        return "imds-guard";
    }

    @Override
    public String summary() {
        return "Let only root and listed accounts reach instance metadata (nftables; the guard unit runs it)";
    }

    @Override
    public String usage() {
        return """
                Usage: seed-agent imds-guard apply|remove|print [--nft PATH] [--runtime-directory DIR] [--etc DIR]

                The instance metadata service hands the instance profile's credentials to any process that
                asks. The guard is an nftables table (inet seed_agent_imds_guard) that lets only root and
                the accounts in imds-guard.allow-users / imds-guard.allow-groups reach 169.254.169.254 and
                fd00:ec2::254; everyone else is rejected at once. seed-agent-imds-guard.service runs
                "apply" at boot and on "systemctl reload"; stopping it leaves the root-only
                rule set (it fails closed, so a restart leaves no moment without the guard).

                  apply   validate the configuration, resolve the accounts, and replace the guard's table in
                          one transaction (with imds-guard.enabled = false: remove it). An invalid
                          configuration leaves the rule set in force as it is (root only if there is none).
                          An account whose id lies in another user's subordinate range (/etc/subuid,
                          /etc/subgid) is refused: that user could take the id in a user namespace
                  remove  delete the guard's table, and nothing else (after systemctl stop: open the
                          metadata service to every local user)
                  print   print the rule set apply would load, without loading it

                Options:
                  --nft PATH                the nft program (default /usr/sbin/nft)
                  --runtime-directory DIR   where the applied rule set is recorded
                                            (default /run/seed-agent-imds-guard)
                  --etc DIR                 where subuid and subgid are read (default /etc)

                Exit status: 0 done, 2 bad arguments, 71 nft failed, 78 invalid seed-agent configuration.
                """;
    }

    @Override
    public int run(CliContext context, List<String> arguments) throws UsageException, InterruptedException {
        String action = null;
        String nft = "/usr/sbin/nft";
        Path runtime = ImdsGuard.RUNTIME_DIRECTORY;
        Path etc = Path.of("/etc");
        Arguments args = new Arguments(name(), arguments);
        while (args.hasNext()) {
            String option = args.option(args.next());
            switch (option) {
                case "--nft" -> nft = absolute(args.value(option), option);
                case "--runtime-directory" -> runtime = Path.of(absolute(args.value(option), option));
                case "--etc" -> etc = Path.of(absolute(args.value(option), option));
                case "apply", "remove", "print" -> {
                    if (action != null) {
                        throw new UsageException(name() + ": one action only, not " + action + " and " + option);
                    }
                    action = option;
                }
                default -> throw args.unknown(option);
            }
        }
        if (action == null) {
            throw new UsageException(name() + ": say apply, remove or print");
        }
        ImdsGuard guard = new ImdsGuard(context.processes(), nft, runtime);
        String prefix = "seed-agent imds-guard " + action + ": ";
        try {
            if (action.equals("remove")) {
                guard.remove();
                context.out().println("removed table " + GuardRuleset.TABLE + " (no other table touched)");
                return ExitCode.OK;
            }
            AgentConfig config;
            try {
                config = context.loadConfig();
            } catch (ConfigException e) {
                error(context, prefix + e.getMessage());
                if (action.equals("apply")) {
                    failClosed(context, guard, prefix);
                }
                return ExitCode.CONFIG;
            }
            ImdsGuardSettings settings = config.imdsGuard();
            AccountResolver resolver = new AccountResolver(context.processes());
            AccountResolver.Resolution users = resolver.users(settings.allowUsers());
            AccountResolver.Resolution groups = resolver.groups(settings.allowGroups());
            List<String> unresolved = new ArrayList<>(users.unresolved());
            unresolved.addAll(groups.unresolved());
            SubordinateIds subordinate = SubordinateIds.read(etc);
            List<String> refused = subordinate.conflicts(users.accounts(), groups.accounts());
            List<Account> allowedUsers = subordinate.outside("user", users.accounts());
            List<Account> allowedGroups = subordinate.outside("group", groups.accounts());
            String script = GuardRuleset.render(allowedUsers, allowedGroups, settings.allowForwardInterfaces());
            if (action.equals("print")) {
                context.out()
                        .print(
                                settings.enabled()
                                        ? script
                                        : "# imds-guard.enabled = false: apply removes the guard's table\n"
                                                + GuardRuleset.removal());
                warnUnresolved(context, prefix, unresolved);
                warnRefused(context, prefix, refused);
                return ExitCode.OK;
            }
            if (!settings.enabled()) {
                guard.remove();
                context.out()
                        .println("imds-guard.enabled = false: removed table " + GuardRuleset.TABLE
                                + "; every local user can reach the instance metadata service");
                return ExitCode.OK;
            }
            guard.apply(script);
            warnUnresolved(context, prefix, unresolved);
            warnRefused(context, prefix, refused);
            context.out()
                    .println("applied table " + GuardRuleset.TABLE + ": only " + allowed(allowedUsers, allowedGroups)
                            + " may reach " + GuardRuleset.IPV4 + " and " + GuardRuleset.IPV6
                            + "; everyone else is rejected");
            return ExitCode.OK;
        } catch (ImdsGuard.NftException e) {
            error(context, prefix + e.getMessage());
            return NFT_FAILED;
        } catch (IOException e) {
            error(context, prefix + "cannot write in " + runtime + ": " + e);
            return NFT_FAILED;
        }
    }

    /**
     * An invalid configuration must not open the metadata service: the rule set in force stays (as the
     * daemon keeps its configuration on a bad reload); with none, root alone is let through.
     */
    private static void failClosed(CliContext context, ImdsGuard guard, String prefix) throws InterruptedException {
        try {
            if (guard.tableExists()) {
                warn(context, prefix + "the rule set in force is kept");
            } else {
                guard.apply(GuardRuleset.render(List.of(), List.of()));
                warn(context, prefix + "applied the root-only rule set until the configuration is fixed");
            }
        } catch (ImdsGuard.NftException | IOException e) {
            error(context, prefix + "could not apply the root-only rule set either: " + e.getMessage());
        }
    }

    private static void warnRefused(CliContext context, String prefix, List<String> refused) {
        if (!refused.isEmpty()) {
            warn(
                    context,
                    prefix + "warning: not allowed, because their id is another user's to take: "
                            + String.join(", ", refused) + "; give them an id outside every subordinate range, then"
                            + " systemctl reload " + ImdsGuard.UNIT);
        }
    }

    private static void warnUnresolved(CliContext context, String prefix, List<String> unresolved) {
        if (!unresolved.isEmpty()) {
            warn(
                    context,
                    prefix + "warning: not allowed, because they could not be resolved: "
                            + String.join(", ", unresolved) + "; create them, then systemctl reload " + ImdsGuard.UNIT);
        }
    }

    /** Under systemd (JOURNAL_STREAM) a line carries its journald priority, as the agent's log lines do. */
    private static void warn(CliContext context, String line) {
        context.err().println((LogFormat.journalFromEnvironment(context.environment()) ? "<4>" : "") + line);
    }

    private static void error(CliContext context, String line) {
        context.err().println((LogFormat.journalFromEnvironment(context.environment()) ? "<3>" : "") + line);
    }

    private static String allowed(List<Account> users, List<Account> groups) {
        List<String> parts = new ArrayList<>();
        parts.add("root");
        users.stream().filter(a -> a.id() != 0).map(a -> "user " + a.describe()).forEach(parts::add);
        parts.addAll(groups.stream().map(a -> "group " + a.describe()).collect(Collectors.toList()));
        return String.join(", ", parts);
    }

    private String absolute(String value, String option) throws UsageException {
        if (!value.startsWith("/")) {
            throw new UsageException(name() + ": " + option + " expects an absolute path, not " + value);
        }
        return value;
    }
}
