package org.seedagent.reliability;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import org.seedagent.checks.Area;
import org.seedagent.checks.CheckResult;
import org.seedagent.checks.Severity;
import org.seedagent.config.ReloadMethod;
import org.seedagent.fragment.Fragment.AddressKind;
import org.seedagent.state.BootSyncOutcome;
import org.seedagent.state.DaemonState;
import org.seedagent.state.InstanceRecord;
import org.seedagent.state.LastReload;
import org.seedagent.state.Poll;
import org.seedagent.state.SpotInterruption;
import org.seedagent.state.StateCodec;
import org.seedagent.sync.SyncResult;

/**
 * A damaged state.json must cost a warning, never the daemon: the boot catches {@link IOException} from
 * the state file and starts with an empty history, so anything else escaping {@link StateCodec#decode}
 * (a ClassCastException, a NullPointerException, a StackOverflowError...) would crash the agent at every
 * start, a restart loop. A complete state file is mutated at random (truncated, bytes flipped, values
 * swapped for values of another JSON type, junk inserted): decoding either fails with an IOException, or
 * gives a state the daemon can encode and save again.
 */
class StateFilePropertyTest {
    private static final String VALID = valid();
    private static final AtomicInteger DECODED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();
    private static final AtomicInteger OTHER = new AtomicInteger();

    private static String valid() {
        Instant t = Instant.parse("2026-11-25T12:00:00Z");
        DaemonState s = new DaemonState();
        s.version = "0.1.0";
        s.pid = 4242;
        s.startedAt = t;
        s.heartbeat = t;
        s.bootSync = new BootSyncOutcome(t, SyncResult.Action.WRITTEN, "wrote /x");
        s.currentAddress = "203.0.113.10";
        s.addressKind = AddressKind.PUBLIC;
        s.addressSince = t;
        s.fragmentPath = "/etc/condor/config.d/50-seed-agent.conf";
        s.fragmentSha256 = "ab".repeat(32);
        s.lastPoll = Poll.ok(t, "unchanged");
        s.lastSuccess = t;
        s.lastFailure = Poll.failed(t, "HTTP 500");
        s.lastReload =
                new LastReload(t, LastReload.Result.DONE, ReloadMethod.RELOAD, "systemctl reload condor.service");
        s.advertised = new DaemonState.Advertised(t, "203.0.113.10", Map.of("master", "203.0.113.10"), true, 42L);
        s.setChecks(List.of(new CheckResult("central-manager", Area.CENTRAL_MANAGER, Severity.OK, "runs", null)));
        s.checksAt = t;
        s.instance = new InstanceRecord("i-0123456789abcdef0", null, null, null, null);
        s.spotInterruption = new SpotInterruption(t, null, "{}");
        s.recordChange(new DaemonState.Change(t, "198.51.100.7", "203.0.113.10"));
        try {
            return StateCodec.encode(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Property(tries = 3000)
    void decode_damagedStateFile_ioExceptionOrAStateThatCanBeSavedAgain(@ForAll("damaged") String text)
            throws IOException {
        DaemonState state;
        try {
            state = StateCodec.decode(text);
        } catch (IOException refused) {
            Statistics.collect("refused with IOException");
            REFUSED.incrementAndGet();
            return;
        } catch (RuntimeException | Error other) {
            OTHER.incrementAndGet(); // counted, then the property fails on it
            throw other;
        }
        Statistics.collect("decoded");
        DECODED.incrementAndGet();
        assertNotNull(StateCodec.encode(state));
    }

    /** Recorded only when nothing but IOException came out of decode (issue 23: a literal 0 was recorded always). */
    @AfterContainer
    static void figures() {
        if (OTHER.get() > 0 || DECODED.get() + REFUSED.get() == 0) {
            System.out.println(
                    "RELIABILITY-NOT-RECORDED\tdamaged state files (jqwik)\tother_exceptions=" + OTHER.get());
            return;
        }
        Figures.of("damaged state files (jqwik)")
                .with("tries", DECODED.get() + REFUSED.get())
                .with("decoded", DECODED.get())
                .with("refused_with_IOException", REFUSED.get())
                .with("other_exceptions", OTHER.get())
                .record();
    }

    @Provide
    Arbitrary<String> damaged() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, VALID.length());
        List<String> values = List.of(
                "null",
                "0",
                "-1",
                "1e999",
                "9223372036854775808",
                "true",
                "\"\"",
                "\"x\"",
                "\"2026-13-45T99:99:99Z\"",
                "[]",
                "[null]",
                "[1, \"a\"]",
                "{}",
                "{\"a\": []}",
                "\"\\u0000\"",
                "[[[[[[[[[[");
        return Arbitraries.frequencyOf(
                Tuple.of(3, position.map(n -> VALID.substring(0, n))),
                Tuple.of(
                        3,
                        Combinators.combine(position, Arbitraries.chars())
                                .as((n, c) -> n >= VALID.length()
                                        ? VALID
                                        : VALID.substring(0, n) + c + VALID.substring(n + 1))),
                Tuple.of(
                        4,
                        Combinators.combine(Arbitraries.integers().between(0, 200), Arbitraries.of(values))
                                .as(StateFilePropertyTest::replaceValue)),
                Tuple.of(
                        2,
                        Combinators.combine(position, Arbitraries.strings().ofMaxLength(8))
                                .as((n, junk) -> VALID.substring(0, n) + junk + VALID.substring(n))),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(64)));
    }

    /** Replaces the {@code index}-th value (after a {@code ": "}) with {@code value}. */
    private static String replaceValue(int index, String value) {
        int at = -1;
        for (int i = 0, seen = 0; i < VALID.length() - 3; i++) {
            if (VALID.startsWith(" : ", i) && seen++ == index % 60) {
                at = i + 3;
                break;
            }
        }
        if (at < 0) {
            return VALID;
        }
        int end = at;
        int depth = 0;
        boolean inString = false;
        for (; end < VALID.length(); end++) {
            char c = VALID.charAt(end);
            if (inString) {
                if (c == '\\') {
                    end++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                break;
            }
        }
        return VALID.substring(0, at) + value + VALID.substring(end);
    }
}
