package org.seedagent.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seedagent.checks.FactsGatherer;
import org.seedagent.checks.FileFacts;
import org.seedagent.condor.CondorEvaluation;

/**
 * AWS credential files and condor_annex key files, as {@link FactsGatherer} finds them for the checks; of
 * an AWS file, the lines and names of its keys, read under the root (never their values).
 */
final class CredentialFindings {
    private static final String ANNEX_HOLDS = "annex key file, ";
    private static final String UNREADABLE_HOLDS = "present, but cannot be read";

    private final Path root;

    CredentialFindings(Path root) {
        this.root = root;
    }

    /**
     * A finding for each file in {@code facts}; when HTCondor's configuration could not be evaluated, a note that
     * annex key files were not looked for.
     *
     * @param facts the files {@link FactsGatherer#files} found under the root, with HTCondor's view of {@code condor}
     * @param condor HTCondor's configuration as evaluated, or why it could not be
     */
    List<Finding> find(FileFacts facts, CondorEvaluation condor) {
        List<Finding> findings = new ArrayList<>();
        Map<String, List<String>> annex = new LinkedHashMap<>();
        for (FileFacts.CredentialFile file : facts.credentialFiles()) {
            if (file.holds().startsWith(ANNEX_HOLDS)) {
                annex.computeIfAbsent(file.path(), p -> new ArrayList<>())
                        .add(file.holds().substring(ANNEX_HOLDS.length()));
            } else {
                findings.add(awsFile(file));
            }
        }
        annex.forEach((path, knobs) -> findings.add(Finding.of(
                        Category.ANNEX_KEYS,
                        path,
                        "condor_annex key file (" + String.join(", ", knobs) + ")",
                        Finding.Change.DELETE)
                .names(knobs)
                .advice("condor_annex on an instance made from the image then needs credentials of its own:"
                        + " an instance profile, or new key files")));
        for (String unsearchable : facts.unsearchable()) {
            int paren = unsearchable.indexOf(" (");
            String path = paren > 0 ? unsearchable.substring(0, paren) : null;
            String why = paren > 0 && unsearchable.endsWith(")")
                    ? unsearchable.substring(paren + 2, unsearchable.length() - 1)
                    : unsearchable;
            findings.add(Finding.of(Category.AWS_CREDENTIALS, path, "could not be examined", Finding.Change.NONE)
                    .problem(Show.path(why)));
        }
        if (condor instanceof CondorEvaluation.Failed failed) {
            findings.add(Finding.of(
                            Category.ANNEX_KEYS,
                            null,
                            "annex key files and the pool password file were not"
                                    + " looked for: HTCondor's configuration could not be evaluated",
                            Finding.Change.NONE)
                    .problem(Show.path(failed.reason()))
                    .advice("fix that (seed-agent check says how), then run prepare-image again"));
        }
        return findings;
    }

    private Finding awsFile(FileFacts.CredentialFile file) {
        String path = file.path();
        Path onDisk = RootedPath.under(root, path);
        if (file.holds().startsWith(UNREADABLE_HOLDS)) {
            return Finding.of(Category.AWS_CREDENTIALS, path, "may hold AWS keys", Finding.Change.DELETE)
                    .problem(Show.path(file.holds()));
        }
        boolean config = path.endsWith("/.aws/config");
        Finding.Change change = config ? Finding.Change.REWRITE : Finding.Change.DELETE;
        String kind = config ? "AWS config file" : "AWS credentials file";
        Finding finding = Finding.of(Category.AWS_CREDENTIALS, path, kind + " holding " + file.holds(), change)
                .names(Arrays.asList(file.holds().split(", ")));
        String link = RootedPath.linkProblem(root, onDisk);
        if (link != null) {
            return finding.problem(link);
        }
        Scrub scrub;
        try {
            scrub = AwsConfigScrubber.scrub(FileChanges.readRegular(onDisk, ImageSurvey.MAX_FILE));
        } catch (IOException e) {
            return finding.problem("cannot be read: " + Show.reason(e));
        }
        if (scrub.found()) {
            finding = Finding.of(
                            Category.AWS_CREDENTIALS,
                            path,
                            kind + " holding " + String.join(", ", scrub.names()) + " ("
                                    + Show.lines(scrub.lineNumbers(), 10) + ")"
                                    + (config ? "; its other settings stay" : ""),
                            change)
                    .names(scrub.names())
                    .lines(scrub.lineNumbers());
        }
        return finding.advice("an instance profile is the safer way to give the seed AWS credentials");
    }
}
