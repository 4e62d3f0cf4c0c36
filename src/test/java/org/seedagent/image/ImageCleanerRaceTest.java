package org.seedagent.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.condor.FakeCondor;
import org.seedagent.reliability.Figures;
import org.seedagent.testing.Await;

/**
 * Issue 21's race, reproduced: while {@code prepare-image --yes --remove-aws-credentials} cleans a user's
 * {@code ~/.aws/config} (a rewrite) and removes their {@code ~/.aws/credentials}, a second process swaps
 * {@code ~/.aws} with a symbolic link to root's {@code /root/.aws} as fast as it can (one
 * {@code renameat2(RENAME_EXCHANGE)} each time, as an attacker timed by inotify would, but continuously), many
 * times over. Root's files must come out untouched every time, and the user's files must still be cleaned
 * when the cleaner gets the real directory (else the test proves nothing).
 */
class ImageCleanerRaceTest {
    private static final int ROUNDS = 300;
    private static final String KEYS = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
            + "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    /** Large enough that the scrub takes a while: the window the attacker aims at. */
    private static final String PADDING =
            "# a long comment line to slow the scrub down .......................\n".repeat(16_000);

    @TempDir
    Path tmp;

    @Test
    void cleaner_userSwapsAwsDirectoryForALinkToRoots_atEveryStep_rootsFilesUntouched() throws Exception {
        assumeTrue(Files.exists(Path.of("/usr/bin/python3")), "needs python3 for the attacker (renameat2)");
        Path root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        Path rootAws = Files.createDirectories(root.resolve("root/.aws"));
        byte[] rootConfig = "[default]\nregion = eu-west-1\n".getBytes(StandardCharsets.UTF_8);
        byte[] rootCredentials = ("[default]\n" + KEYS).getBytes(StandardCharsets.UTF_8);
        Files.write(rootAws.resolve("config"), rootConfig);
        Files.write(rootAws.resolve("credentials"), rootCredentials);
        Path home = Files.createDirectories(root.resolve("home/user"));
        Path aws = home.resolve(".aws");
        Path decoy = home.resolve(".aws-decoy");
        Files.createDirectories(aws);
        Files.createSymbolicLink(decoy, rootAws);

        Plan plan = new Plan(List.of(
                new Plan.Step(
                        new Finding(
                                Category.AWS_CREDENTIALS,
                                "/home/user/.aws/config",
                                "keys",
                                List.of(),
                                List.of(),
                                Finding.Change.REWRITE,
                                null,
                                null),
                        Plan.Action.REWRITE),
                new Plan.Step(
                        new Finding(
                                Category.AWS_CREDENTIALS,
                                "/home/user/.aws/credentials",
                                "keys",
                                List.of(),
                                List.of(),
                                Finding.Change.DELETE,
                                null,
                                null),
                        Plan.Action.REMOVE)));
        ImageCleaner cleaner = new ImageCleaner(root, null);

        Path stop = tmp.resolve("stop");
        Process attacker = new ProcessBuilder(
                        "python3",
                        FakeCondor.resource("image/exchange.py").toString(),
                        aws.toString(),
                        decoy.toString(),
                        stop.toString())
                .redirectError(tmp.resolve("attacker.err").toFile())
                .start();
        int rewritten = 0;
        int removed = 0;
        int refused = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                stop(attacker);
                Path real = Files.isDirectory(aws, LinkOption.NOFOLLOW_LINKS) ? aws : decoy;
                Files.writeString(
                        real.resolve("config"),
                        "[default]\n" + PADDING + KEYS + "credential_process =" + " /home/user/evil.sh\n");
                Files.writeString(real.resolve("credentials"), "[default]\n" + KEYS);
                signal(attacker, "CONT");

                List<Outcome> outcomes = cleaner.apply(plan);

                assertArrayEquals(
                        rootConfig,
                        Files.readAllBytes(rootAws.resolve("config")),
                        "round " + round + ": root's config was written: " + outcomes);
                assertTrue(
                        Files.exists(rootAws.resolve("credentials")),
                        "round " + round + ": root's credentials were removed: " + outcomes);
                assertArrayEquals(rootCredentials, Files.readAllBytes(rootAws.resolve("credentials")));
                for (Outcome outcome : outcomes) {
                    if (outcome.status() != Outcome.Status.DONE) {
                        refused++;
                    } else if (outcome.step().action() == Plan.Action.REWRITE) {
                        rewritten++;
                    } else {
                        removed++;
                    }
                }
                assertTrue(attacker.isAlive(), "the attacker died: " + Files.readString(tmp.resolve("attacker.err")));
            }
        } finally {
            Files.createFile(stop);
            signal(attacker, "CONT");
            if (!attacker.waitFor(10, TimeUnit.SECONDS)) {
                attacker.destroyForcibly();
            }
        }
        String swaps = new String(attacker.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(
                rewritten > 0 && removed > 0,
                "the cleaner never reached the user's real directory: " + rewritten + " rewritten, " + removed
                        + " removed, " + refused + " refused");
        assertEquals(2 * ROUNDS, rewritten + removed + refused);
        Figures.of("prepare-image race (issue 21)")
                .with("rounds", ROUNDS)
                .with("swaps", swaps)
                .with("rewritten", rewritten)
                .with("removed", removed)
                .with("refused", refused)
                .with("roots_files_changed", 0)
                .record();
    }

    /** SIGSTOP, then waits until the kernel says it stopped (kill returns before the signal takes effect). */
    private static void stop(Process process) throws IOException, InterruptedException {
        signal(process, "STOP");
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        Await.that("the attacker to stop", Duration.ofSeconds(15))
                .every(Duration.ofNanos(100_000))
                .until(
                        () -> Files.readString(stat),
                        text -> text.substring(text.lastIndexOf(')') + 2).startsWith("T"));
    }

    private static void signal(Process process, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .start()
                .waitFor();
    }
}
