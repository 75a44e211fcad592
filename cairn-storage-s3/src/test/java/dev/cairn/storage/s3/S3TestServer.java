package dev.cairn.storage.s3;

import java.net.URI;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-protocol server for the tests: S3Proxy on jclouds' in-memory store, in this JVM, on a free port, checking
 * SigV4 signatures like Amazon S3 does. One server serves every test class; each test takes a bucket of its own.
 */
final class S3TestServer {
    static final String ACCESS_KEY = "cairn-test";
    static final String SECRET_KEY = "cairn-test-secret";
    static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));

    private static final AtomicInteger buckets = new AtomicInteger();
    private static URI endpoint;
    private static S3Client admin;

    private S3TestServer() {}

    static synchronized URI endpoint() {
        if (endpoint == null) {
            endpoint = start();
            admin = S3BlobStore.client(location("unused"), CREDENTIALS);
        }
        return endpoint;
    }

    /** A raw client, to look at and tamper with what the store wrote. */
    static S3Client admin() {
        endpoint();
        return admin;
    }

    /** A new, empty bucket. */
    static String newBucket() {
        String bucket = "bucket-" + buckets.incrementAndGet();
        admin().createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    static S3Location location(String bucket) {
        return new S3Location(bucket, "cairn/blobs", endpoint(), true, null);
    }

    private static URI start() {
        Properties properties = new Properties();
        properties.setProperty("jclouds.identity", "jclouds");
        properties.setProperty("jclouds.credential", "jclouds");
        BlobStoreContext context = ContextBuilder.newBuilder("transient").overrides(properties)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy", e);
        }
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }
}
