package org.seedagent.image;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.seedagent.checks.CheckEnvironment;
import org.seedagent.checks.FactsGatherer;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.condor.CondorEvaluation;

/**
 * Reads what an image of the instance would contain into {@link Finding}s. Every path is looked up under a
 * root directory (the instance's {@code /}, or a temporary tree in tests); the facts that need processes
 * or the network (HTCondor's configuration, systemd, instance metadata) are gathered by the caller and
 * passed in. Changes nothing, and keeps no secret: key files are never read, credential and history files
 * only to find the lines and names of keys.
 *
 * <p>Each kind of finding has its own class: {@link SeedAgentFindings} (seed-agent's own), {@link
 * CredentialFindings} (AWS and annex keys), {@link HistoryFindings} (shell history), {@link KeptFindings}
 * (what the image keeps on purpose).
 */
public final class ImageSurvey {
    /** The HTCondor knobs the survey reads, with one {@code condor_config_val -dump -v -expand}. */
    public static final List<String> KNOBS = List.of(
            "ANNEX_DEFAULT_ACCESS_KEY_FILE",
            "ANNEX_DEFAULT_SECRET_KEY_FILE",
            "SEC_PASSWORD_FILE",
            "SEC_PASSWORD_DIRECTORY",
            "SEC_TOKEN_SYSTEM_DIRECTORY");

    /** The most of a file the survey and the clean-up read. */
    static final long MAX_FILE = 64L * 1024 * 1024;

    private final String fragmentPath;
    private final FactsGatherer gatherer;
    private final SeedAgentFindings seedAgent;
    private final CredentialFindings credentials;
    private final HistoryFindings history;
    private final KeptFindings kept;

    /**
     * @param root the directory that stands for {@code /}, as a real path (no symbolic links in it)
     * @param fragmentPath seed-agent's fragment, as the instance names it ({@code fragment.path})
     * @param stateDirectory seed-agent's state directory, as the instance names it ({@code state.directory})
     * @param guardConfigured {@code imds-guard.enabled} in seed-agent's configuration
     */
    public ImageSurvey(Path root, String fragmentPath, String stateDirectory, boolean guardConfigured) {
        this(root, fragmentPath, stateDirectory, guardConfigured, null);
    }

    /**
     * @param reassociates the Elastic IP seed-agent is configured to take over from whichever instance holds it
     *     ({@code eip.allow-reassociation = true}), or null
     */
    public ImageSurvey(
            Path root, String fragmentPath, String stateDirectory, boolean guardConfigured, String reassociates) {
        Objects.requireNonNull(root, "root");
        this.fragmentPath = Objects.requireNonNull(fragmentPath, "fragmentPath");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        this.gatherer = offlineGatherer(root);
        this.seedAgent = new SeedAgentFindings(root, fragmentPath, stateDirectory, guardConfigured, reassociates);
        this.credentials = new CredentialFindings(root);
        this.history = new HistoryFindings(root);
        this.kept = new KeptFindings(root);
    }

    /**
     * Everything found, in no particular order ({@link Plan#of} orders it).
     *
     * @param condor HTCondor's evaluation of {@link #KNOBS}
     * @param service what systemd says about seed-agent's unit
     * @param profile whether an instance profile is attached
     */
    public List<Finding> survey(CondorEvaluation condor, SeedAgentService.Status service, InstanceProfile profile) {
        List<Finding> findings = new ArrayList<>();
        CondorConfigView view = condor instanceof CondorEvaluation.Evaluated e ? e.view() : null;
        findings.addAll(SeedAgentFindings.service(service));
        findings.addAll(seedAgent.files());
        findings.addAll(credentials.find(gatherer.files(view, fragmentPath), condor));
        findings.addAll(history.find(gatherer.homes()));
        if (view != null) {
            findings.addAll(kept.poolPassword(view));
            findings.addAll(kept.tokens(view));
        }
        findings.add(KeptFindings.profile(profile));
        findings.add(seedAgent.imdsGuard(profile));
        seedAgent.legacyBootConfig().ifPresent(findings::add);
        seedAgent.reassociation().ifPresent(findings::add);
        return List.copyOf(findings);
    }

    /** The checks' file gatherer under {@code root}, which never resolves names or connects. */
    private static FactsGatherer offlineGatherer(Path root) {
        return new FactsGatherer(new CheckEnvironment(
                root,
                host -> List.of(),
                (address, port, timeout) -> {
                    throw new IOException("no connections while preparing an image");
                },
                Duration.ofSeconds(1)));
    }
}
