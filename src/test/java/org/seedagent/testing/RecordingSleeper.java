package org.seedagent.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.seedagent.support.Sleeper;

/** Sleeps without waiting: records each duration and moves the fake clock on by it. */
public final class RecordingSleeper implements Sleeper {
    private final FakeClock clock;
    private final List<Duration> sleeps = new ArrayList<>();

    public RecordingSleeper(FakeClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        clock.advance(duration);
    }

    public List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    public Duration total() {
        return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }
}
