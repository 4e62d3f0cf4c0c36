package org.seedagent.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the key lines ({@code aws_access_key_id}, {@code aws_secret_access_key},
 * {@code aws_session_token}) from an AWS CLI {@code config} file and keeps the rest byte for byte:
 * profiles, regions and output settings are not secrets and the administrator may want them in the image.
 * The lines recognised are those {@code FactsGatherer} reports.
 */
final class AwsConfigScrubber {
    private static final Pattern KEY = Pattern.compile(
            "^\\s*(aws_access_key_id|aws_secret_access_key|aws_session_token)\\s*=", Pattern.CASE_INSENSITIVE);

    private AwsConfigScrubber() {}

    static Scrub scrub(byte[] content) {
        Lines lines = new Lines(content);
        boolean[] dropped = new boolean[lines.count()];
        List<Scrub.Hit> hits = new ArrayList<>();
        for (int i = 0; i < lines.count(); i++) {
            Matcher m = KEY.matcher(lines.text(i));
            if (m.find()) {
                hits.add(new Scrub.Hit(i + 1, List.of(m.group(1).toLowerCase(Locale.ROOT))));
                dropped[i] = true;
            }
        }
        return new Scrub(hits, hits.isEmpty() ? content : lines.without(dropped), hits.size());
    }
}
