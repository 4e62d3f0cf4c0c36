package org.seedagent.logging;

import org.slf4j.Marker;
import org.slf4j.helpers.BasicMarkerFactory;

/**
 * SLF4J has no NOTICE level; an INFO call with this marker is written with journald priority 5
 * (notice): something an administrator should see, that is not a problem.
 */
public final class Notice {
    public static final Marker MARKER = new BasicMarkerFactory().getMarker("NOTICE");

    private Notice() {}
}
