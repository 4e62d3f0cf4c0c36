package org.seedagent.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void exact_theLargestUnitThatSaysItWhole() {
        assertEquals("1500 ms", Durations.exact(Duration.ofMillis(1500)));
        assertEquals("20 s", Durations.exact(Duration.ofSeconds(20)));
        assertEquals("90 s", Durations.exact(Duration.ofSeconds(90)));
        assertEquals("5 min", Durations.exact(Duration.ofMinutes(5)));
        assertEquals("2 h", Durations.exact(Duration.ofHours(2)));
    }

    @Test
    void setting_asTheConfigurationFileWritesIt() {
        assertEquals("500ms", Durations.setting(Duration.ofMillis(500)));
        assertEquals("30s", Durations.setting(Duration.ofSeconds(30)));
        assertEquals("90s", Durations.setting(Duration.ofSeconds(90)));
        assertEquals("5m", Durations.setting(Duration.ofMinutes(5)));
        assertEquals("6h", Durations.setting(Duration.ofHours(6)));
    }

    @Test
    void minutesAndSeconds_andTenths() {
        assertEquals("58 s", Durations.minutesAndSeconds(Duration.ofSeconds(58)));
        assertEquals("1 min 58 s", Durations.minutesAndSeconds(Duration.ofSeconds(118)));
        assertEquals("2 min", Durations.minutesAndSeconds(Duration.ofSeconds(120)));
        assertEquals("3.0 s", Durations.tenths(Duration.ofSeconds(3)));
        assertEquals("0.5 s", Durations.tenths(Duration.ofMillis(520)));
    }
}
