package dev.cairn.it;

import java.net.URI;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3-protocol server in this JVM (s3proxy over jclouds' in-memory store) on a random port, answering path-style
 * requests signed with one fixed identity, with one bucket already created.
 */
final class S3Server implements AutoCloseable {
    static final String ACCESS_KEY = "cairn-it";
    static final String SECRET_KEY = "cairn-it-secret";
    static final String REGION = "us-east-1";

    private final BlobStoreContext context;
    private final S3Proxy proxy;

    private S3Server(BlobStoreContext context, S3Proxy proxy) {
        this.context = context;
        this.proxy = proxy;
    }

    static S3Server start(String bucket) throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient")
                .credentials(ACCESS_KEY, SECRET_KEY)
                .build(BlobStoreContext.class);
        context.getBlobStore().createContainerInLocation(null, bucket);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                context.close();
                throw new IllegalStateException("s3proxy did not start within 30 s: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return new S3Server(context, proxy);
    }

    String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** How many objects the bucket holds: proof that the replicas stored their blobs here. */
    long objectCount(String bucket) {
        return context.getBlobStore().countBlobs(bucket);
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop s3proxy", e);
        } finally {
            context.close();
        }
    }
}
