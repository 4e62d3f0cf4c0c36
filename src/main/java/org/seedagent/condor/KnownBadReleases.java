package org.seedagent.condor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * HTCondor releases known to break a seed, from the data file {@code known-bad-releases.tsv} beside this
 * class (one release a line, with the release that fixes it, the ticket and its source), so that adding one
 * is a line of data.
 */
public final class KnownBadReleases {
    static final String RESOURCE = "known-bad-releases.tsv";

    /**
     * One broken release.
     *
     * @param release the broken release
     * @param fixedIn the first release of the same series with the fix
     * @param ticket HTCondor's ticket, e.g. HTCONDOR-3860
     * @param breaks what breaks on a seed, as a clause ("local FS authentication fails ...")
     * @param source where this is documented
     */
    public record Entry(HtcondorRelease release, HtcondorRelease fixedIn, String ticket, String breaks, String source) {
        public Entry {
            Objects.requireNonNull(release, "release");
            Objects.requireNonNull(fixedIn, "fixedIn");
            Objects.requireNonNull(ticket, "ticket");
            Objects.requireNonNull(breaks, "breaks");
            Objects.requireNonNull(source, "source");
        }
    }

    private final List<Entry> entries;

    public KnownBadReleases(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The table shipped with the agent. */
    public static KnownBadReleases bundled() {
        try (InputStream in = KnownBadReleases.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the agent's jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
    }

    /**
     * Parses the table: tab-separated {@code release fixed-in ticket breaks source}; {@code #} comments and
     * blank lines are skipped.
     *
     * @throws IllegalArgumentException naming the line that is not in that form
     */
    public static KnownBadReleases parse(String text, String name) {
        List<Entry> entries = new ArrayList<>();
        int number = 0;
        try (BufferedReader reader = new BufferedReader(new java.io.StringReader(text))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                if (fields.length != 5) {
                    throw new IllegalArgumentException(name + " line " + number + ": expected 5 tab-separated"
                            + " fields (release, fixed-in, ticket, breaks, source), found " + fields.length);
                }
                String where = name + " line " + number;
                HtcondorRelease release = HtcondorRelease.parse(fields[0])
                        .orElseThrow(
                                () -> new IllegalArgumentException(where + ": not a release number: " + fields[0]));
                HtcondorRelease fixedIn = HtcondorRelease.parse(fields[1])
                        .orElseThrow(
                                () -> new IllegalArgumentException(where + ": not a release number: " + fields[1]));
                entries.add(new Entry(release, fixedIn, fields[2].strip(), fields[3].strip(), fields[4].strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new KnownBadReleases(entries);
    }

    /** What is known to break in {@code release}, if anything. */
    public Optional<Entry> lookup(HtcondorRelease release) {
        return entries.stream().filter(e -> e.release().equals(release)).findFirst();
    }
}
