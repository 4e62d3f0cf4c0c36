package org.seedagent.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AwsConfigScrubberTest {
    @Test
    void removesKeyLines_keepsProfilesAndSettings() {
        String config = "[default]\nregion = us-east-1\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
                + "  AWS_Secret_Access_Key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\n[profile ci]\noutput = json\n"
                + "aws_session_token = tok\n";

        Scrub scrub = AwsConfigScrubber.scrub(config.getBytes(StandardCharsets.UTF_8));

        assertEquals(
                "[default]\nregion = us-east-1\n\n[profile ci]\noutput = json\n",
                new String(scrub.cleaned(), StandardCharsets.UTF_8));
        assertEquals(List.of(3, 4, 8), scrub.lineNumbers());
        assertEquals(List.of("aws_access_key_id", "aws_secret_access_key", "aws_session_token"), scrub.names());
    }

    @Test
    void noKeys_nothingFound() {
        assertFalse(AwsConfigScrubber.scrub("[default]\nregion = eu-west-1\n".getBytes(StandardCharsets.UTF_8))
                .found());
    }
}
