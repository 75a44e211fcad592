package dev.cairn.storage.s3;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns the SDK's exceptions into the registry's at the adapter boundary, so that no AWS type reaches the core: a
 * missing key is {@code NOT_FOUND}, a store that cannot be reached or asks to slow down is {@code UNAVAILABLE}, and
 * anything else (a missing bucket, refused credentials) is {@code INTERNAL}, a fault of the deployment rather than of
 * the caller.
 */
final class S3Errors {
    private S3Errors() {}

    static RegistryException translate(String action, SdkException e) {
        return new RegistryException(codeOf(e), action + ": " + describe(e), Map.of(), e);
    }

    static boolean isNotFound(SdkException e) {
        return e instanceof NoSuchKeyException || e instanceof S3Exception s3 && s3.statusCode() == 404
                && !"NoSuchBucket".equals(errorCode(s3));
    }

    private static ErrorCode codeOf(SdkException e) {
        if (isNotFound(e)) {
            return ErrorCode.NOT_FOUND;
        }
        if (e instanceof SdkClientException) {
            return ErrorCode.UNAVAILABLE; // no answer from the store: connection refused, timed out, reset
        }
        if (e instanceof S3Exception s3 && (s3.statusCode() == 503 || s3.statusCode() == 429)) {
            return ErrorCode.UNAVAILABLE;
        }
        return ErrorCode.INTERNAL;
    }

    private static String describe(SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = errorCode(s3);
            return "S3 answered " + s3.statusCode() + (code == null ? "" : " " + code)
                    + (s3.awsErrorDetails() != null && s3.awsErrorDetails().errorMessage() != null
                            ? ": " + s3.awsErrorDetails().errorMessage() : "");
        }
        return e.getMessage();
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }
}
