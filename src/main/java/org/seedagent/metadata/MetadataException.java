package org.seedagent.metadata;

/** The instance metadata service could not give a usable answer. {@link #kind()} says why. */
public final class MetadataException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the metadata could not be read; each kind is handled differently by callers. */
    public enum Kind {
        /** HTTP 403: IMDS is turned off for this instance (or the request was refused). Not retried. */
        DISABLED,
        /**
         * 5xx, 408/429, time-outs, refused or reset connections, repeated 401: retried until the deadline
         * passed; or a request the service refuses outright (400, 405, a redirect, no IMDSv2 token
         * endpoint), not retried.
         */
        UNAVAILABLE,
        /** The service answered 200 but with a body that is not what the item must look like. */
        INVALID_RESPONSE
    }

    private final Kind kind;
    private final String path;

    public MetadataException(Kind kind, String path, String message) {
        this(kind, path, message, null);
    }

    public MetadataException(Kind kind, String path, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.path = path;
    }

    public Kind kind() {
        return kind;
    }

    /** The metadata item, relative to {@code /latest/meta-data/}, e.g. {@code public-ipv4}. */
    public String path() {
        return path;
    }
}
