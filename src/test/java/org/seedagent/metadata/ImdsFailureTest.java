package org.seedagent.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.seedagent.metadata.ImdsFailure.Type;
import org.seedagent.support.BoundedBodyHttpClient.BodyTooLargeException;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.imds.Ec2MetadataClientException;

/** The classification table, on exceptions shaped as SDK 2.40.2 throws them (messages copied from it). */
class ImdsFailureTest {
    @ParameterizedTest(name = "HTTP {0} on the item: {1}")
    @CsvSource({
        "403, DISABLED",
        "401, TOKEN_REJECTED",
        "404, MISSING",
        "408, TRANSIENT",
        "429, TRANSIENT",
        "400, REFUSED",
        "405, REFUSED",
        "301, REFUSED",
    })
    void of_itemStatus_classified(int status, Type expected) {
        ImdsFailure failure = ImdsFailure.of(statusException(
                status, "The requested metadata at path '/latest/meta-data/public-ipv4' returned Http code " + status));

        assertEquals(expected, failure.type());
        assertEquals("HTTP " + status, failure.detail());
    }

    @ParameterizedTest(name = "HTTP {0} on the token request: {1}")
    @CsvSource({
        "403, DISABLED",
        "401, TOKEN_REJECTED",
        "404, REFUSED",
        "405, REFUSED",
        "429, TRANSIENT",
    })
    void of_tokenStatus_classified(int status, Type expected) {
        ImdsFailure failure =
                ImdsFailure.of(statusException(status, "Could not retrieve token, " + status + " error occurred"));

        assertEquals(expected, failure.type());
        assertEquals("HTTP " + status + " to the session token request", failure.detail());
    }

    @Test
    void of_serverError_transient() {
        String message = "The requested metadata at path '/latest/meta-data/public-ipv4' returned Http code 503";
        ImdsFailure failure = ImdsFailure.of(
                retriesExceeded(RetryableException.builder().message(message).build()));

        assertEquals(new ImdsFailure(Type.TRANSIENT, message), failure);
    }

    @Test
    void of_timeOut_transient() {
        ImdsFailure failure =
                ImdsFailure.of(retriesExceeded(new UncheckedIOException(new SocketTimeoutException("Read timed out"))));

        assertEquals(new ImdsFailure(Type.TRANSIENT, "no answer in time"), failure);
    }

    @Test
    void of_ioError_transientInWords_noJavaClassName() {
        ImdsFailure failure = ImdsFailure.of(retriesExceeded(new UncheckedIOException(new ConnectException())));

        assertEquals(new ImdsFailure(Type.TRANSIENT, "connection refused"), failure);
        assertEquals("no answer in time", ImdsFailure.plain(new java.net.SocketTimeoutException("Read timed out")));
        assertEquals("stream closed", ImdsFailure.plain(new java.io.EOFException("stream closed")));
        assertEquals("eof", ImdsFailure.plain(new java.io.EOFException()));
    }

    @Test
    void of_bodyTooLarge_tooLarge() {
        ImdsFailure failure = ImdsFailure.of(retriesExceeded(
                new UncheckedIOException(new BodyTooLargeException("GET /latest/meta-data/public-ipv4", 4096))));

        assertEquals(
                new ImdsFailure(
                        Type.TOO_LARGE, "the response to GET /latest/meta-data/public-ipv4 has more than 4096 bytes"),
                failure);
    }

    @Test
    void of_unusableTokenResponse_malformed() {
        ImdsFailure failure = ImdsFailure.of(
                SdkClientException.create("x-aws-ec2-metadata-token-ttl-seconds header not found in token response"));

        assertEquals(Type.MALFORMED, failure.type());
    }

    private static Ec2MetadataClientException statusException(int status, String message) {
        return (Ec2MetadataClientException) Ec2MetadataClientException.builder()
                .statusCode(status)
                .message(message)
                .build();
    }

    /** How the SDK reports a retryable failure once its own retries (none) are used up. */
    private static SdkClientException retriesExceeded(Throwable cause) {
        return SdkClientException.builder()
                .message("Exceeded maximum number of retries. Total retry attempts: 0")
                .cause(cause)
                .build();
    }
}
