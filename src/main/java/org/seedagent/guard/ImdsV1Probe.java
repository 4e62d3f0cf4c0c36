package org.seedagent.guard;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Whether the metadata service answers a GET without a token (IMDSv1, {@code http-tokens optional}): such
 * requests have no hop limit, so a container behind the host reaches the credentials however the PUT's hop
 * limit is set. One GET of {@code /latest/meta-data/}, from {@code check} only; nothing is read but the status.
 */
public final class ImdsV1Probe {
    /** What the service said. */
    public enum Outcome {
        /** 200 without a token: IMDSv1 is enabled. */
        ANSWERS,
        /** 401: tokens are required (IMDSv2 only). */
        REQUIRES_TOKEN,
        /** No answer, another status, or not asked. */
        NOT_CHECKED
    }

    /** The outcome and, when not checked, why. */
    public record Result(Outcome outcome, String detail) {
        public Result {
            Objects.requireNonNull(outcome, "outcome");
        }

        public static Result notChecked(String why) {
            return new Result(Outcome.NOT_CHECKED, why);
        }
    }

    private ImdsV1Probe() {}

    /** Asks {@code endpoint} (e.g. http://169.254.169.254) once, within {@code timeout}. */
    public static Result probe(URI endpoint, Duration timeout) {
        HttpURLConnection connection = null;
        try {
            // Never through a proxy: the answer must be this host's metadata service's (as ImdsMetadataSource).
            connection = (HttpURLConnection)
                    endpoint.resolve("/latest/meta-data/").toURL().openConnection(java.net.Proxy.NO_PROXY);
            connection.setRequestMethod("GET");
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            connection.setConnectTimeout(millis);
            connection.setReadTimeout(millis);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            int status = connection.getResponseCode();
            return switch (status) {
                case 200 -> new Result(Outcome.ANSWERS, null);
                case 401 -> new Result(Outcome.REQUIRES_TOKEN, null);
                default -> Result.notChecked("a GET without a token got HTTP " + status);
            };
        } catch (IOException | IllegalArgumentException e) {
            return Result.notChecked("a GET without a token failed: " + e.getMessage());
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }
}
