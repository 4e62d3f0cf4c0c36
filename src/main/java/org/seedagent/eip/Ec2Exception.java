package org.seedagent.eip;

import java.util.Set;

/**
 * A failed EC2 API request, classified once: the error {@code Code} EC2 sent (or a code of ours for a
 * failure that never reached EC2), its message, and the HTTP status (0 when there was no answer).
 */
public final class Ec2Exception extends Exception {
    private static final long serialVersionUID = 1L;

    /** Our code for a request that got no answer (connection refused, time-out, TLS failure). */
    public static final String NO_ANSWER = "NoAnswer";
    /** Our code for an answer that is not an EC2 response document. */
    public static final String BAD_RESPONSE = "BadResponse";
    /** Our code for credentials that could not be had from the instance profile. */
    public static final String NO_CREDENTIALS = "NoCredentials";

    private static final Set<String> THROTTLING = Set.of(
            "RequestLimitExceeded",
            "Throttling",
            "ThrottlingException",
            "RequestThrottled",
            "TooManyRequestsException");
    private static final Set<String> PERMISSION =
            Set.of("UnauthorizedOperation", "AccessDenied", "AccessDeniedException", "Blocked");
    private static final Set<String> AUTHENTICATION = Set.of(
            "AuthFailure",
            "InvalidClientTokenId",
            "SignatureDoesNotMatch",
            "ExpiredToken",
            "RequestExpired",
            "IncompleteSignature");

    private final String code;
    private final int httpStatus;
    private final String action;

    public Ec2Exception(String action, String code, String message, int httpStatus) {
        super(message);
        this.action = action;
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public Ec2Exception(String action, String code, String message, int httpStatus, Throwable cause) {
        this(action, code, message, httpStatus);
        initCause(cause);
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The API action that failed, e.g. {@code AssociateAddress}. */
    public String action() {
        return action;
    }

    /** Worth trying again after a wait: throttling, a 5xx, or no answer at all. */
    public boolean retryable() {
        return THROTTLING.contains(code) || httpStatus >= 500 || NO_ANSWER.equals(code);
    }

    public boolean throttled() {
        return THROTTLING.contains(code);
    }

    /** The instance profile's role lacks the permission for {@link #action()}. */
    public boolean permissionDenied() {
        return PERMISSION.contains(code) || (httpStatus == 403 && !AUTHENTICATION.contains(code));
    }

    /** The credentials were refused (expired, wrong, or the clock is off). */
    public boolean authenticationFailed() {
        return AUTHENTICATION.contains(code) || httpStatus == 401;
    }

    /** The IAM action a policy must allow for {@link #action()}, e.g. {@code ec2:AssociateAddress}. */
    public String iamAction() {
        return "ec2:" + action;
    }

    /** One line for logs and the state file: the action, the code and EC2's message. */
    public String describe() {
        return action + " failed: " + code + (httpStatus > 0 ? " (HTTP " + httpStatus + ")" : "") + ": " + getMessage();
    }
}
