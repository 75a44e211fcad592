package dev.cairn.storage.s3;

import dev.cairn.core.RegistryException;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * Where an {@link S3BlobStore} keeps its blobs: a bucket, a key prefix inside it (empty for the bucket's root), and how
 * to reach the store.
 *
 * @param bucket the bucket, which must exist
 * @param prefix the key prefix, without a leading {@code /} (trailing ones are dropped); empty for the bucket's root
 * @param endpoint the S3-compatible service to talk to (MinIO, Ceph, S3Proxy, …), or null for Amazon S3 itself
 * @param pathStyle address the bucket in the path ({@code http://host/bucket/key}) rather than in the host name, as
 *     most S3-compatible stores need
 * @param region the signing region, or null to take it from the AWS default chain ({@code AWS_REGION},
 *     {@code aws.region}, the profile); with an endpoint and no region found, {@code us-east-1}
 */
public record S3Location(String bucket, String prefix, URI endpoint, boolean pathStyle, String region) {
    /** S3's rules for new buckets, loosened to the upper case and underscores older buckets and other stores allow. */
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]");

    public S3Location {
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw RegistryException.invalid("'" + bucket + "' is not an S3 bucket name");
        }
        prefix = prefix == null ? "" : withoutTrailingSlashes(prefix);
        if (prefix.startsWith("/") || prefix.contains("//")) {
            throw RegistryException.invalid("the S3 key prefix '" + prefix + "' has an empty segment");
        }
        if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null
                || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https")))) {
            throw RegistryException.invalid("the S3 endpoint must be an http or https URL, not '" + endpoint + "'");
        }
        if (region != null && region.isBlank()) {
            region = null;
        }
    }

    /**
     * Reads {@code s3://BUCKET} or {@code s3://BUCKET/PREFIX}; the region comes from the AWS default chain.
     *
     * @param endpoint null for Amazon S3
     */
    public static S3Location parse(String s3Uri, URI endpoint, boolean pathStyle) {
        if (s3Uri == null || !s3Uri.startsWith("s3://")) {
            throw RegistryException.invalid("'" + s3Uri + "' is not an S3 location: expected s3://BUCKET/PREFIX");
        }
        String rest = s3Uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        return new S3Location(bucket, prefix, endpoint, pathStyle, null);
    }

    /** The full key of {@code name} under the prefix. */
    String key(String name) {
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    @Override
    public String toString() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix) + (endpoint == null ? "" : " at " + endpoint);
    }

    private static String withoutTrailingSlashes(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(0, end);
    }
}
