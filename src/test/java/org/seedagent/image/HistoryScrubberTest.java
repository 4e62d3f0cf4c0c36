package org.seedagent.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HistoryScrubberTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "export AWS_SECRET_ACCESS_KEY=" + SECRET + "                       | AWS_SECRET_ACCESS_KEY",
                "export AWS_SECRET_ACCESS_KEY='" + SECRET + "'                     | AWS_SECRET_ACCESS_KEY",
                "export AWS_SECRET_ACCESS_KEY=\"" + SECRET + "\"                   | AWS_SECRET_ACCESS_KEY",
                "AWS_ACCESS_KEY_ID=" + KEY_ID + " AWS_SECRET_ACCESS_KEY=" + SECRET
                        + " aws s3 ls | AWS_ACCESS_KEY_ID;AWS_SECRET_ACCESS_KEY",
                "env AWS_SESSION_TOKEN=FwoGZXIvYXdzE aws sts get-caller-identity  | AWS_SESSION_TOKEN",
                "declare -x AWS_SECURITY_TOKEN=abc                                | AWS_SECURITY_TOKEN",
                ": 1700000000:0;export AWS_SECRET_ACCESS_KEY=" + SECRET + "        | AWS_SECRET_ACCESS_KEY",
                "echo 'aws_secret_access_key = " + SECRET + "' >> ~/.aws/credentials | aws_secret_access_key",
                "set -gx AWS_SECRET_ACCESS_KEY " + SECRET + "                      | AWS_SECRET_ACCESS_KEY",
                "setenv AWS_ACCESS_KEY_ID " + KEY_ID + "                           | AWS_ACCESS_KEY_ID",
                "aws configure set aws_secret_access_key " + SECRET + "            | aws_secret_access_key",
                "aws configure set --profile ci default.aws_session_token tok      | aws_session_token",
                "aws iam delete-access-key --access-key-id " + KEY_ID + "          | access key ID",
                "sudo AWS_SECRET_ACCESS_KEY=" + SECRET + " condor_annex -count 1   | AWS_SECRET_ACCESS_KEY",
            })
    void secretsIn_linesThatSetKeys_nameThem(String line, String names) {
        assertEquals(List.of(names.split(";")), HistoryScrubber.secretsIn(line.strip()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "export AWS_SECRET_ACCESS_KEY=$(cat /root/secret)",
                "export AWS_SECRET_ACCESS_KEY=\"$SECRET\"",
                "export AWS_SECRET_ACCESS_KEY=",
                "export AWS_SECRET_ACCESS_KEY=''",
                "AWS_SESSION_TOKEN= aws s3 ls",
                "unset AWS_SECRET_ACCESS_KEY AWS_ACCESS_KEY_ID",
                "echo $AWS_SECRET_ACCESS_KEY | wc -c",
                "export MY_AWS_SECRET_ACCESS_KEY_NOTE=hello",
                "aws configure get aws_secret_access_key",
                "aws configure set region us-east-1",
                "grep -r aws_access_key_id ~/.aws",
                "ls -la /etc/condor",
            })
    void secretsIn_linesThatDoNotSetKeys_nothing(String line) {
        assertEquals(List.of(), HistoryScrubber.secretsIn(line));
    }

    @Test
    void bash_removesTheLineAndItsTimestamp_keepsTheRestByteForByte() {
        String history = "#1700000000\nls -la\n#1700000001\nexport AWS_SECRET_ACCESS_KEY=" + SECRET
                + "\n#1700000002\ncondor_status\n";

        Scrub scrub = HistoryScrubber.scrub(bytes(history), HistoryScrubber.Format.SHELL);

        assertEquals("#1700000000\nls -la\n#1700000002\ncondor_status\n", text(scrub.cleaned()));
        assertEquals(List.of(4), scrub.lineNumbers());
        assertEquals(List.of("AWS_SECRET_ACCESS_KEY"), scrub.names());
        assertEquals(2, scrub.removedLines());
    }

    @Test
    void zsh_continuationLinesGoWithTheirCommand() {
        String history = ": 1700000000:0;ls\n: 1700000001:0;export AWS_ACCESS_KEY_ID=" + KEY_ID + " \\\n"
                + "AWS_SECRET_ACCESS_KEY=" + SECRET + "\n: 1700000002:0;echo done \\\\\n: 1700000003:0;pwd\n";

        Scrub scrub = HistoryScrubber.scrub(bytes(history), HistoryScrubber.Format.SHELL);

        assertEquals(": 1700000000:0;ls\n: 1700000002:0;echo done \\\\\n: 1700000003:0;pwd\n", text(scrub.cleaned()));
        assertEquals(List.of(2, 3), scrub.lineNumbers());
        assertEquals(List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"), scrub.names());
    }

    @Test
    void fish_removesTheWholeEntry() {
        String history = "- cmd: ls\n  when: 1700000000\n- cmd: set -x AWS_SECRET_ACCESS_KEY " + SECRET + "\n"
                + "  when: 1700000001\n- cmd: vim ~/.aws/config\n  when: 1700000002\n  paths:\n    - ~/.aws/config\n";

        Scrub scrub = HistoryScrubber.scrub(bytes(history), HistoryScrubber.Format.FISH);

        assertEquals(
                "- cmd: ls\n  when: 1700000000\n- cmd: vim ~/.aws/config\n  when: 1700000002\n  paths:\n"
                        + "    - ~/.aws/config\n",
                text(scrub.cleaned()));
        assertEquals(List.of(3), scrub.lineNumbers());
    }

    @Test
    void otherBytesCrlfAndAMissingFinalNewline_areKept() {
        byte[] latin = {'e', 'c', 'h', 'o', ' ', (byte) 0xe9, (byte) 0x83, '\r', '\n'};
        byte[] secret = bytes("export AWS_SECRET_ACCESS_KEY=" + SECRET + "\r\n");
        byte[] last = bytes("tail -f /var/log/condor/MasterLog");
        byte[] content = concat(latin, secret, last);

        Scrub scrub = HistoryScrubber.scrub(content, HistoryScrubber.Format.SHELL);

        assertArrayEquals(concat(latin, last), scrub.cleaned());
    }

    @Test
    void nothingFound_returnsTheSameContent() {
        byte[] content = bytes("ls\ncondor_q\n");
        Scrub scrub = HistoryScrubber.scrub(content, HistoryScrubber.Format.SHELL);
        assertFalse(scrub.found());
        assertSame(content, scrub.cleaned());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
