package dev.cairn.storage.s3;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects in an S3 bucket, on Amazon S3 or any S3-compatible store.
 *
 * <h2>Keys</h2>
 * A blob lives at {@code <prefix>/sha256/ab/cd/<hex>}, the layout of the file store, so that a bucket can be filled by
 * copying a file store's {@code sha256} tree. Uploads in flight live under {@code <prefix>/tmp/<uuid>}; nothing else is
 * written. A bucket lifecycle rule that expires {@code <prefix>/tmp/} and aborts incomplete multipart uploads after a
 * day is a good safety net; the store also removes day-old leftovers itself when it opens.
 *
 * <h2>Why uploads go through a temp key</h2>
 * A blob's key is its sha256, known only once the last byte has been read, while a multipart upload must name its key
 * when it starts. So an upload larger than one part streams, part by part, into a multipart upload of a temp key; when
 * the content ends and its digest is known (and matches the declared one, if any) the upload is completed and copied
 * inside S3 to its content address, then the temp object is deleted. S3 makes an object visible only once it is whole,
 * so every object at a content address is complete: a failed, refused or interrupted upload is aborted and leaves
 * nothing there. An upload that fits in one part is hashed first and written straight to its content address. Either
 * way, when the content address is already taken by a blob of that size the upload is discarded: identical content is
 * stored once. Concurrent uploads of the same content may both write it; the bytes are the same, so either wins.
 *
 * <p>Memory: one part buffer per upload in progress (16 MiB by default, grown only as far as the upload needs), none
 * for downloads, which stream from the connection. With 10,000 parts at most, an upload may reach 156 GiB.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** S3's limit on the parts of one multipart upload. */
    private static final int MAX_PARTS = 10_000;
    /** Temp objects and multipart uploads older than this at start-up belong to uploads that died with their process. */
    private static final Duration STALE_UPLOAD = Duration.ofDays(1);

    /**
     * How an upload is cut: into parts of {@code part} bytes (S3 wants 5 MiB at least but for the last), and copied to
     * its content address in one CopyObject up to {@code copyPart} bytes, in parts of that size above (S3's limit for
     * both is 5 GiB).
     */
    record PartSizes(int part, long copyPart) {
        static final PartSizes DEFAULT = new PartSizes(16 << 20, 5L << 30);
    }

    private final S3Client s3;
    private final S3Location location;
    private final PartSizes sizes;

    S3BlobStore(S3Client s3, S3Location location, PartSizes sizes) {
        this.s3 = s3;
        this.location = location;
        this.sizes = sizes;
        checkBucket();
        removeStaleUploads();
    }

    /**
     * Opens the store at {@code location} with the standard AWS credential chain: {@code AWS_ACCESS_KEY_ID} and
     * {@code AWS_SECRET_ACCESS_KEY} (or the {@code aws.accessKeyId} and {@code aws.secretAccessKey} system
     * properties), {@code AWS_PROFILE} and {@code ~/.aws}, then container and instance roles.
     *
     * @throws RegistryException {@code INVALID_ARGUMENT} when no region can be found, {@code UNAVAILABLE} when the
     *     store cannot be reached, {@code INTERNAL} when the bucket is missing or the credentials are refused
     */
    public static S3BlobStore open(S3Location location) {
        return open(location, null, PartSizes.DEFAULT);
    }

    /** @param credentials null for the default chain, which the client then owns and closes with itself */
    static S3BlobStore open(S3Location location, AwsCredentialsProvider credentials, PartSizes sizes) {
        S3Client s3 = client(location, credentials);
        try {
            return new S3BlobStore(s3, location, sizes);
        } catch (RuntimeException e) {
            s3.close();
            throw e;
        }
    }

    /** @param credentials null for the default chain */
    static S3Client client(S3Location location, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder())
                .region(region(location))
                .forcePathStyle(location.pathStyle());
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        if (location.endpoint() != null) {
            // Many S3-compatible stores reject the streaming checksums the SDK sends to Amazon S3 by default; SigV4
            // payload signing (http) or TLS (https) protects the bytes in transit there, and check() re-hashes them.
            builder.endpointOverride(location.endpoint())
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    private static Region region(S3Location location) {
        if (location.region() != null) {
            return Region.of(location.region());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            if (location.endpoint() != null) {
                return Region.US_EAST_1; // what S3-compatible stores expect when they do not care
            }
            throw RegistryException.invalid("no AWS region for " + location
                    + ": set AWS_REGION or a profile's region");
        }
    }

    @Override
    public BlobInfo put(InputStream content, Optional<String> expectedSha256) {
        Optional<String> expected = expectedSha256.map(e -> e.startsWith("sha256:") ? e.substring(7) : e);
        MessageDigest digest = sha256();
        PartBuffer part = new PartBuffer(sizes.part());
        part.fill(content, digest, 0);
        if (!part.isFull()) {
            BlobInfo blob = new BlobInfo(hex(digest), part.length());
            requireDeclared(blob, expected, expectedSha256);
            if (!isStored(blob)) {
                String key = blobKey(blob.sha256());
                call("cannot store blob " + blob.sha256(), () -> s3.putObject(b -> b.bucket(location.bucket())
                        .key(key), part.body()));
            }
            return blob;
        }
        return putInParts(content, digest, part, expected, expectedSha256);
    }

    private BlobInfo putInParts(InputStream content, MessageDigest digest, PartBuffer part, Optional<String> expected,
            Optional<String> declared) {
        String tempKey = location.key("tmp/" + UUID.randomUUID());
        String uploadId = call("cannot start an upload", () -> s3.createMultipartUpload(b -> b
                .bucket(location.bucket()).key(tempKey)).uploadId());
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long size = 0;
            while (part.length() > 0) {
                if (parts.size() == MAX_PARTS) {
                    throw RegistryException.tooLarge("an upload to S3 may have at most " + MAX_PARTS + " parts of "
                            + sizes.part() + " bytes; nothing was stored");
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new RegistryException(ErrorCode.UNAVAILABLE, "the upload was interrupted after " + size
                            + " bytes; nothing was stored");
                }
                int number = parts.size() + 1;
                String eTag = call("cannot upload part " + number, () -> s3.uploadPart(b -> b
                        .bucket(location.bucket()).key(tempKey).uploadId(uploadId).partNumber(number),
                        part.body()).eTag());
                parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
                size += part.length();
                part.fill(content, digest, size);
            }
            BlobInfo blob = new BlobInfo(hex(digest), size);
            requireDeclared(blob, expected, declared);
            if (isStored(blob)) {
                return blob; // the finally block aborts the upload: its bytes are stored already
            }
            call("cannot finish the upload", () -> s3.completeMultipartUpload(b -> b.bucket(location.bucket())
                    .key(tempKey).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
            completed = true;
            copy(tempKey, blobKey(blob.sha256()), size);
            return blob;
        } finally {
            if (completed) {
                quietly("delete the temp object " + tempKey, () -> s3.deleteObject(b -> b.bucket(location.bucket())
                        .key(tempKey)));
            } else {
                abortQuietly(tempKey, uploadId);
            }
        }
    }

    /** Copies inside S3; a multipart copy is aborted on failure, so the target appears whole or not at all. */
    private void copy(String from, String to, long size) {
        String bucket = location.bucket();
        if (size <= sizes.copyPart()) {
            call("cannot copy the upload to " + to, () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from)
                    .destinationBucket(bucket).destinationKey(to)));
            return;
        }
        String uploadId = call("cannot start copying the upload to " + to,
                () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(to)).uploadId());
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long start = 0; start < size; start += sizes.copyPart()) {
                int number = parts.size() + 1;
                String range = "bytes=" + start + "-" + (Math.min(size, start + sizes.copyPart()) - 1);
                String eTag = call("cannot copy part " + number + " of the upload to " + to, () -> s3.uploadPartCopy(
                        b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to)
                                .uploadId(uploadId).partNumber(number).copySourceRange(range))
                        .copyPartResult().eTag());
                parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
            }
            call("cannot finish copying the upload to " + to, () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                    .key(to).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
            completed = true;
        } finally {
            if (!completed) {
                abortQuietly(to, uploadId);
            }
        }
    }

    /** Whether the blob is stored already; a stored object of another size is damaged, and the upload replaces it. */
    private boolean isStored(BlobInfo blob) {
        return head(blob.sha256()).map(h -> h.contentLength() == blob.size()).orElse(false);
    }

    private static void requireDeclared(BlobInfo blob, Optional<String> expected, Optional<String> declared) {
        if (expected.isPresent() && !expected.get().equalsIgnoreCase(blob.sha256())) {
            throw RegistryException.invalid("the content's sha256 is " + blob.sha256()
                    + " but the declared sha256 is " + declared.get() + "; nothing was stored");
        }
    }

    @Override
    public Optional<Long> size(String sha256) {
        return head(checked(sha256)).map(HeadObjectResponse::contentLength);
    }

    @Override
    public InputStream open(String sha256, long offset, long length) {
        if (offset < 0 || length < -1) {
            throw RegistryException.invalid("invalid range: offset " + offset + ", length " + length);
        }
        long size = size(sha256).orElseThrow(() -> RegistryException.notFound("blob " + sha256 + " is not stored"));
        if (offset > size) {
            throw RegistryException.invalid("offset " + offset + " is beyond the end of blob " + sha256
                    + " (" + size + " bytes)");
        }
        long end = length == -1 || length > size - offset ? size : offset + length;
        if (end == offset) {
            return InputStream.nullInputStream(); // S3 refuses an empty range
        }
        String range = "bytes=" + offset + "-" + (end - 1);
        ResponseInputStream<GetObjectResponse> response = call("cannot open blob " + sha256, () -> s3.getObject(b -> b
                .bucket(location.bucket()).key(blobKey(sha256)).range(range)));
        return new ObjectStream(response, end - offset);
    }

    @Override
    public BlobCheck check(String sha256) {
        String key = blobKey(checked(sha256));
        ResponseInputStream<GetObjectResponse> response;
        try {
            response = s3.getObject(b -> b.bucket(location.bucket()).key(key));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return BlobCheck.MISSING;
            }
            throw S3Errors.translate("cannot read blob " + sha256, e);
        }
        try (InputStream in = new ObjectStream(response, response.response().contentLength())) {
            MessageDigest digest = sha256();
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return hex(digest).equals(sha256) ? BlobCheck.OK : BlobCheck.CORRUPT;
        } catch (IOException e) {
            // A broken connection says nothing about the stored bytes: the check must be run again, not reported.
            throw new RegistryException(ErrorCode.UNAVAILABLE, "cannot read blob " + sha256 + " back from "
                    + location + ": " + e.getMessage(), Map.of(), e);
        } catch (SdkException e) {
            throw S3Errors.translate("cannot read blob " + sha256, e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    private Optional<HeadObjectResponse> head(String sha256) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(location.bucket()).key(blobKey(sha256))));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            throw S3Errors.translate("cannot look up blob " + sha256, e);
        }
    }

    /** One HEAD of the bucket: answers while the bucket exists and the credentials and network work. */
    @Override
    public void checkReady() {
        checkBucket();
    }

    /** Fails fast on a wrong bucket, endpoint or credentials, rather than at the first upload. */
    private void checkBucket() {
        try {
            s3.headBucket(b -> b.bucket(location.bucket()));
        } catch (SdkException e) {
            throw S3Errors.translate("cannot use the blob store at " + location, e);
        }
    }

    private void removeStaleUploads() {
        Instant cutoff = Instant.now().minus(STALE_UPLOAD);
        String tmp = location.key("tmp/");
        try {
            for (MultipartUpload upload : s3.listMultipartUploadsPaginator(b -> b.bucket(location.bucket())
                    .prefix(tmp)).uploads()) {
                if (upload.initiated().isBefore(cutoff)) {
                    abortQuietly(upload.key(), upload.uploadId());
                }
            }
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(tmp))
                    .contents()) {
                if (object.lastModified().isBefore(cutoff)) {
                    quietly("delete the stale temp object " + object.key(), () -> s3.deleteObject(b -> b
                            .bucket(location.bucket()).key(object.key())));
                }
            }
        } catch (SdkException e) {
            // Stale uploads only cost space; they never become visible blobs.
            log.warn("Cannot look for stale uploads under {}: {}", tmp, e.getMessage());
        }
    }

    private void abortQuietly(String key, String uploadId) {
        quietly("abort the upload of " + key, () -> s3.abortMultipartUpload(b -> b.bucket(location.bucket())
                .key(key).uploadId(uploadId)));
    }

    /**
     * Cleans up after an upload, even on an interrupted thread (the SDK refuses to start a request there), and without
     * hiding the failure that led here.
     */
    private void quietly(String action, Runnable cleanup) {
        boolean interrupted = Thread.interrupted();
        try {
            cleanup.run();
        } catch (SdkException e) {
            log.warn("Cannot {} in {}; it is removed when the store next opens a day from now: {}", action, location,
                    e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static <T> T call(String action, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw S3Errors.translate(action, e);
        }
    }

    String blobKey(String sha256) {
        return location.key("sha256/" + sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256);
    }

    /** Also keeps a caller's digest from naming a key outside the store. */
    private static String checked(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw RegistryException.invalid("'" + sha256 + "' is not a sha256: expected 64 lower-case hex digits");
        }
        return sha256;
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
