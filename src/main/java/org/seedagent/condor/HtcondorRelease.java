package org.seedagent.condor;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTCondor release number, as {@code condor_config_val} gives it: the {@code CONDOR_VERSION} knob of the
 * {@code -dump} the agent already runs ({@code 25.0.13}), or the first line of {@code -version}
 * ({@code $CondorVersion: 25.0.13 2026-12-07 $}).
 */
public record HtcondorRelease(int major, int minor, int patch) implements Comparable<HtcondorRelease> {
    /** The first feature release without {@code condor_annex} (HTCONDOR-1630). */
    public static final HtcondorRelease CONDOR_ANNEX_WITHDRAWN = new HtcondorRelease(24, 11, 0);

    private static final Pattern NUMBER = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})\\.(\\d{1,4})");
    private static final Pattern VERSION_LINE = Pattern.compile("^\\$CondorVersion:\\s+(\\S+)(\\s.*)?\\$$");

    public HtcondorRelease {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("negative release number " + major + "." + minor + "." + patch);
        }
    }

    /**
     * The release in {@code text}: a bare {@code X.Y.Z}, or {@code condor_config_val -version}'s output (its
     * {@code $CondorVersion: X.Y.Z DATE $} line). Empty for anything else.
     */
    public static Optional<HtcondorRelease> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String candidate = text.strip();
        String first = candidate.lines().findFirst().orElse("").strip();
        Matcher line = VERSION_LINE.matcher(first);
        if (line.matches()) {
            candidate = line.group(1);
        }
        Matcher m = NUMBER.matcher(candidate);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new HtcondorRelease(
                Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
    }

    /** Whether this release still ships {@code condor_annex} (it was withdrawn in 24.11). */
    public boolean hasCondorAnnex() {
        return compareTo(CONDOR_ANNEX_WITHDRAWN) < 0;
    }

    @Override
    public int compareTo(HtcondorRelease other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) {
            c = Integer.compare(minor, other.minor);
        }
        return c != 0 ? c : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
