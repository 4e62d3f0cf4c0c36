package org.seedagent.image;

import org.seedagent.support.JsonNames;

/**
 * What kind of thing a {@link Finding} is, in report order, and how it is handled: removed by default
 * (seed-agent's own files), only with its own flag (credentials), or only reported (what the image must
 * keep).
 */
public enum Category {
    /** seed-agent's state file, its generated fragment, stale temporary files, and its service. */
    SEED_AGENT("seed-agent's files (removed: the next boot writes them afresh)", Handling.ALWAYS, null),
    /** {@code ~/.aws/credentials} and {@code ~/.aws/config} holding keys, of root and every user with a home. */
    AWS_CREDENTIALS("AWS credential files", Handling.WITH_FLAG, "--remove-aws-credentials"),
    /** The files named by {@code ANNEX_DEFAULT_ACCESS_KEY_FILE} and {@code ANNEX_DEFAULT_SECRET_KEY_FILE}. */
    ANNEX_KEYS("condor_annex key files", Handling.WITH_FLAG, "--remove-annex-keys"),
    /** Shell history files with lines that set AWS keys. */
    SHELL_HISTORY("Shell history lines that set AWS keys", Handling.WITH_FLAG, "--scrub-shell-history"),
    /** {@code SEC_PASSWORD_FILE} and the other keys in {@code SEC_PASSWORD_DIRECTORY}: kept. */
    POOL_PASSWORD("Pool password and signing keys (kept: annex nodes need them)", Handling.REPORT, null),
    /** Tokens in {@code SEC_TOKEN_SYSTEM_DIRECTORY}: kept. */
    HTCONDOR_TOKENS("HTCondor tokens (kept)", Handling.REPORT, null),
    /** The instance profile the seed depends on: reported. */
    INSTANCE_PROFILE("Instance profile", Handling.REPORT, null),
    /** Whether instances made from the image guard instance metadata from their first boot: reported. */
    IMDS_GUARD("Instance metadata guard", Handling.REPORT, null),
    /** The old condor-annex-ec2 boot script's file: not seed-agent's, reported. */
    LEGACY_BOOT_CONFIG("Left by the old boot script (not seed-agent's: not removed)", Handling.REPORT, null);

    /** How a category's findings are treated. */
    public enum Handling {
        /** Changed whenever the operator confirms: seed-agent's own, instance-specific files. */
        ALWAYS,
        /** Changed only with the category's own flag; otherwise left, and the finding needs attention. */
        WITH_FLAG,
        /** Never changed; reported so that the operator knows. */
        REPORT
    }

    private final String heading;
    private final Handling handling;
    private final String flag;

    Category(String heading, Handling handling, String flag) {
        this.heading = heading;
        this.handling = handling;
        this.flag = flag;
    }

    /** The name in JSON, e.g. {@code aws-credentials}: the constant's {@linkplain JsonNames#of JSON name}. */
    public String id() {
        return JsonNames.of(this);
    }

    /** The heading of the category in the text report. */
    public String heading() {
        return flag == null ? heading : heading + " (changed only with " + flag + ")";
    }

    public Handling handling() {
        return handling;
    }

    /** The command-line flag that allows changing this category, or {@code null}. */
    public String flag() {
        return flag;
    }
}
