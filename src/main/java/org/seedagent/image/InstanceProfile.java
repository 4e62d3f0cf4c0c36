package org.seedagent.image;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.MetadataException;
import org.seedagent.support.Text;

/**
 * Whether the instance depends on an instance profile: metadata {@code iam/info} answers (200) when one
 * is attached, 404 when none is. Only {@code iam/info} is read, never {@code iam/security-credentials}.
 *
 * @param state attached, none, or could not tell
 * @param arn the profile's ARN when attached and readable, else {@code null}
 * @param detail why it could not tell, or what was odd about the answer; else {@code null}
 */
public record InstanceProfile(State state, String arn, String detail) {
    public static final String IAM_INFO = "iam/info";

    private static final Pattern ARN =
            Pattern.compile("arn:aws[a-z-]{0,20}:iam::\\d{12}:instance-profile/[A-Za-z0-9+=,.@_/-]{1,512}");

    /** Whether an instance profile is attached. */
    public enum State {
        ATTACHED,
        NONE,
        UNKNOWN
    }

    public InstanceProfile {
        Objects.requireNonNull(state, "state");
    }

    public static InstanceProfile unknown(String why) {
        return new InstanceProfile(State.UNKNOWN, null, why);
    }

    /** Reads {@code iam/info}; a failure of the metadata service is "could not tell", never an exception. */
    public static InstanceProfile read(InstanceMetadata metadata) throws InterruptedException {
        try {
            return metadata.raw(IAM_INFO)
                    .map(InstanceProfile::fromBody)
                    .orElse(new InstanceProfile(State.NONE, null, null));
        } catch (MetadataException e) {
            return unknown(e.getMessage());
        } catch (RuntimeException e) {
            return unknown(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** The profile described by the body of {@code iam/info}. */
    static InstanceProfile fromBody(String body) {
        Object arn;
        try {
            Map<String, Object> info = JSON.std.mapFrom(body);
            arn = info.get("InstanceProfileArn");
        } catch (IOException | RuntimeException e) {
            return new InstanceProfile(
                    State.ATTACHED, null, "iam/info did not answer with JSON: " + Text.quote(body, 80));
        }
        if (arn instanceof String s && ARN.matcher(s).matches()) {
            return new InstanceProfile(State.ATTACHED, s, null);
        }
        return new InstanceProfile(
                State.ATTACHED,
                null,
                "iam/info gave no usable InstanceProfileArn: "
                        + (arn == null ? "none" : Text.quote(String.valueOf(arn), 80)));
    }
}
