package org.seedagent.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingTest {
    @Test
    void textsAreSingleLines_soNoFindingCanForgeAReportLine() {
        Finding finding = Finding.of(Category.SEED_AGENT, "/x", "what", Finding.Change.DELETE);
        assertThrows(IllegalArgumentException.class, () -> finding.problem("one\ntwo"));
        assertThrows(
                IllegalArgumentException.class,
                () -> Finding.of(Category.SEED_AGENT, "/x\r", "w", Finding.Change.DELETE));
    }

    @Test
    void namesAndLinesAreCopied() {
        List<String> names = new ArrayList<>(List.of("AWS_SECRET_ACCESS_KEY"));
        Finding finding = Finding.of(Category.SHELL_HISTORY, "/root/.bash_history", "h", Finding.Change.REWRITE)
                .names(names);
        names.add("changed later");
        assertEquals(List.of("AWS_SECRET_ACCESS_KEY"), finding.names());
    }

    @Test
    void showLines() {
        assertEquals("line 3", Show.lines(List.of(3), 10));
        assertEquals("lines 3, 4 and 9", Show.lines(List.of(3, 4, 9), 10));
        assertEquals("lines 1, 2 and 3 more", Show.lines(List.of(1, 2, 3, 4, 5), 2));
    }

    @Test
    void showPath_escapesControlCharactersAndNonAscii() {
        assertEquals("/home/ec2-user/.bash_history", Show.path("/home/ec2-user/.bash_history"));
        assertEquals("\"/home/x\\n  remove   /etc/passwd\"", Show.path("/home/x\n  remove   /etc/passwd"));
        assertEquals("\"/home/j\\u00fcrgen\"", Show.path("/home/jürgen"));
    }
}
