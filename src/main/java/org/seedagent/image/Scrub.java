package org.seedagent.image;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The result of scanning a file for lines that hold AWS keys: where they are (line numbers and names,
 * never values) and the content without them.
 *
 * @param hits the lines that hold keys, in file order
 * @param cleaned the content without those lines (and the lines that belong to the same entry)
 * @param removedLines how many lines {@code cleaned} lacks
 */
record Scrub(List<Hit> hits, byte[] cleaned, int removedLines) {

    /** A line that holds keys: its 1-based number and the names of what it sets. */
    record Hit(int line, List<String> names) {
        Hit {
            names = List.copyOf(names);
        }
    }

    Scrub {
        hits = List.copyOf(hits);
    }

    boolean found() {
        return !hits.isEmpty();
    }

    List<Integer> lineNumbers() {
        return hits.stream().map(Hit::line).toList();
    }

    /** Every name, once, in order of first appearance. */
    List<String> names() {
        Set<String> names = new LinkedHashSet<>();
        hits.forEach(h -> names.addAll(h.names()));
        return List.copyOf(names);
    }
}
