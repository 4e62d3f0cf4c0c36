package org.seedagent.image;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.seedagent.condor.CondorConfigView;

/**
 * What the image keeps on purpose, reported so that the operator knows: the pool password and signing keys,
 * HTCondor's tokens, and the instance profile the seed depends on.
 */
final class KeptFindings {
    private static final String POOL_PASSWORD_ADVICE = "annex nodes need it, so it stays in the image; anyone who"
            + " can read the image can join the pool with it: share the image only with people you would give the"
            + " password to, or change the pool password (condor_store_cred) if the image was shared more widely";
    private static final String SIGNING_KEY_ADVICE = "anyone who can read the image can issue tokens this pool"
            + " accepts: share the image only with the pool's administrators";
    private static final String TOKEN_ADVICE = "anyone who can read the image can authenticate to the pool with it";

    private final Path root;

    KeptFindings(Path root) {
        this.root = root;
    }

    /** The pool password file ({@code SEC_PASSWORD_FILE}) and the signing keys beside it. */
    List<Finding> poolPassword(CondorConfigView view) {
        List<Finding> findings = new ArrayList<>();
        String password = view.value("SEC_PASSWORD_FILE")
                .map(String::strip)
                .filter(p -> p.startsWith("/"))
                .orElse(null);
        if (password != null) {
            if (Files.exists(RootedPath.under(root, password))) {
                findings.add(Finding.of(
                                Category.POOL_PASSWORD,
                                password,
                                "the pool password (SEC_PASSWORD_FILE)",
                                Finding.Change.KEEP)
                        .names(List.of("SEC_PASSWORD_FILE"))
                        .advice(POOL_PASSWORD_ADVICE));
            } else {
                findings.add(Finding.of(
                                Category.POOL_PASSWORD,
                                password,
                                "SEC_PASSWORD_FILE names this file, which"
                                        + " does not exist: annex nodes cannot authenticate",
                                Finding.Change.NONE)
                        .names(List.of("SEC_PASSWORD_FILE"))
                        .advice("see seed-agent check (password-file)"));
            }
        }
        listDirectory(
                view,
                "SEC_PASSWORD_DIRECTORY",
                password,
                Category.POOL_PASSWORD,
                "a pool signing key (SEC_PASSWORD_DIRECTORY)",
                SIGNING_KEY_ADVICE,
                findings);
        return findings;
    }

    /** The tokens of this host's HTCondor daemons ({@code SEC_TOKEN_SYSTEM_DIRECTORY}). */
    List<Finding> tokens(CondorConfigView view) {
        List<Finding> findings = new ArrayList<>();
        listDirectory(
                view,
                "SEC_TOKEN_SYSTEM_DIRECTORY",
                null,
                Category.HTCONDOR_TOKENS,
                "a token of this host's HTCondor daemons (SEC_TOKEN_SYSTEM_DIRECTORY)",
                TOKEN_ADVICE,
                findings);
        return findings;
    }

    /** One KEEP finding per regular file in the directory named by {@code knob}, except {@code skip}. */
    private void listDirectory(
            CondorConfigView view,
            String knob,
            String skip,
            Category category,
            String what,
            String advice,
            List<Finding> findings) {
        Optional<String> named = view.value(knob).map(String::strip).filter(p -> p.startsWith("/"));
        if (named.isEmpty()) {
            return;
        }
        Path directory = RootedPath.under(root, named.get());
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            entries.forEach(files::add);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return;
        } catch (IOException e) {
            findings.add(Finding.of(category, named.get(), "could not be listed (" + knob + ")", Finding.Change.NONE)
                    .names(List.of(knob))
                    .advice(Show.reason(e)));
            return;
        }
        files.sort(null);
        Path skipped = skip == null ? null : RootedPath.under(root, skip);
        for (Path file : files) {
            if (Files.isRegularFile(file) && !file.equals(skipped)) {
                findings.add(Finding.of(category, RootedPath.named(root, file), what, Finding.Change.KEEP)
                        .names(List.of(knob))
                        .advice(advice));
            }
        }
    }

    /** Whether an instance profile is attached: instances of the image need the same one. Pure. */
    static Finding profile(InstanceProfile profile) {
        Category category = Category.INSTANCE_PROFILE;
        return switch (profile.state()) {
            case ATTACHED -> {
                String arn = profile.arn();
                Finding finding = arn != null
                        ? Finding.of(category, null, "instance profile " + arn + " is attached", Finding.Change.KEEP)
                                .names(List.of(arn))
                        : Finding.of(
                                category,
                                null,
                                "an instance profile is attached (" + Show.path(profile.detail()) + ")",
                                Finding.Change.KEEP);
                yield finding.advice("launch instances from the image with the same instance profile"
                        + " (aws ec2 run-instances --iam-instance-profile Arn=" + (arn != null ? arn : "ARN")
                        + "): without it condor_annex on them has no AWS credentials");
            }
            case NONE ->
                Finding.of(
                        category, null, "no instance profile is attached (iam/info: not found)", Finding.Change.NONE);
            case UNKNOWN ->
                Finding.of(
                                category,
                                null,
                                "could not tell whether an instance profile is" + " attached: "
                                        + Show.message(profile.detail()),
                                Finding.Change.NONE)
                        .advice("if the seed uses one, launch instances from the image with the same instance profile");
        };
    }
}
