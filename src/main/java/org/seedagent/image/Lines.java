package org.seedagent.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A file's lines as byte ranges, so that the lines that are kept are written back byte for byte whatever
 * their encoding (zsh, for one, stores history in its own "metafied" encoding).
 */
final class Lines {
    private final byte[] content;
    private final List<int[]> ranges;

    Lines(byte[] content) {
        this.content = content;
        this.ranges = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                ranges.add(new int[] {start, i + 1});
                start = i + 1;
            }
        }
        if (start < content.length) {
            ranges.add(new int[] {start, content.length});
        }
    }

    int count() {
        return ranges.size();
    }

    /**
     * Line {@code index} (0-based) without its line end, one char per byte (ISO-8859-1), for matching
     * ASCII patterns; never shown to anyone.
     */
    String text(int index) {
        int[] r = ranges.get(index);
        int end = r[1];
        if (end > r[0] && content[end - 1] == '\n') {
            end--;
        }
        if (end > r[0] && content[end - 1] == '\r') {
            end--;
        }
        return new String(content, r[0], end - r[0], StandardCharsets.ISO_8859_1);
    }

    /** The content without the lines whose index is in {@code dropped}. */
    byte[] without(boolean[] dropped) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length);
        for (int i = 0; i < ranges.size(); i++) {
            if (!dropped[i]) {
                int[] r = ranges.get(i);
                out.write(content, r[0], r[1] - r[0]);
            }
        }
        return out.toByteArray();
    }
}
