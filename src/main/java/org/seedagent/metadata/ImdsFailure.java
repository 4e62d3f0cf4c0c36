package org.seedagent.metadata;

import java.io.IOException;
import org.seedagent.support.BoundedBodyHttpClient.BodyTooLargeException;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.imds.Ec2MetadataClientException;

/**
 * One failed call of the SDK's IMDS client, classified once: what it means, and a few words for messages.
 *
 * <p>What SDK 2.40.2 throws with its retries turned off (measured): any 4xx or 3xx, on the token request or
 * on the item, is an {@link Ec2MetadataClientException} carrying the status; a 5xx is an
 * {@link SdkClientException} caused by a {@link RetryableException}; an I/O error or time-out is an
 * {@link SdkClientException} caused by an {@link java.io.UncheckedIOException}; a 2xx the SDK cannot use
 * (a token response without its TTL header) is a plain {@link SdkClientException}.
 *
 * @param type what the failure means for the caller
 * @param detail what happened, for log and error messages; never contains the token
 */
record ImdsFailure(Type type, String detail) {
    /** The SDK's message for a failed token request, its only mark that the token request failed. */
    private static final String TOKEN_FAILURE_PREFIX = "Could not retrieve token";

    enum Type {
        /** 404 on the item: it does not exist (e.g. no public address). An answer, not an error. */
        MISSING,
        /** 403: IMDS is turned off for the instance or refuses us; asking again cannot help. */
        DISABLED,
        /** 401: IMDS no longer accepts the cached session token (e.g. it restarted); a new token may help. */
        TOKEN_REJECTED,
        /** 5xx, 408, 429, time-outs, refused or broken connections: may pass, so retried. */
        TRANSIENT,
        /**
         * Any other status, such as 400, 405, a redirect, or 404 on the token request (an endpoint without
         * IMDSv2): the same request would be refused again, so not retried.
         */
        REFUSED,
        /** A successful response longer than the body limit: not a metadata answer. */
        TOO_LARGE,
        /** A successful response the SDK could not use, such as a token without its TTL header. */
        MALFORMED
    }

    /** An I/O failure in words, without Java's class names (issue 22): "connection refused", "timed out", ... */
    static String plain(IOException io) {
        return org.seedagent.support.Failures.plain(io);
    }

    static ImdsFailure of(SdkClientException e) {
        if (e instanceof Ec2MetadataClientException status) {
            return ofStatus(status.statusCode(), isTokenRequest(status));
        }
        BodyTooLargeException tooLarge = cause(e, BodyTooLargeException.class);
        if (tooLarge != null) {
            return new ImdsFailure(Type.TOO_LARGE, tooLarge.getMessage());
        }
        IOException io = cause(e, IOException.class);
        if (io != null) {
            return new ImdsFailure(Type.TRANSIENT, plain(io));
        }
        RetryableException serverError = cause(e, RetryableException.class);
        if (serverError != null) {
            return new ImdsFailure(Type.TRANSIENT, serverError.getMessage());
        }
        return new ImdsFailure(Type.MALFORMED, e.getMessage());
    }

    private static ImdsFailure ofStatus(int code, boolean tokenRequest) {
        String detail = "HTTP " + code + (tokenRequest ? " to the session token request" : "");
        Type type;
        if (code == 403) {
            type = Type.DISABLED;
        } else if (code == 401) {
            type = Type.TOKEN_REJECTED;
        } else if (code == 404 && !tokenRequest) {
            type = Type.MISSING;
        } else if (code == 408 || code == 429 || code >= 500) {
            type = Type.TRANSIENT;
        } else {
            type = Type.REFUSED;
        }
        return new ImdsFailure(type, detail);
    }

    private static boolean isTokenRequest(Ec2MetadataClientException e) {
        return e.getMessage() != null && e.getMessage().startsWith(TOKEN_FAILURE_PREFIX);
    }

    /** {@code e} itself or the first of its causes that is a {@code type}, or null. */
    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
