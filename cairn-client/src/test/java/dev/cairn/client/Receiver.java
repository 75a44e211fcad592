package dev.cairn.client;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real webhook receiver on a random loopback port: records every request and answers a settable status. Shared with
 * the CLI's tests through this module's test jar.
 */
public final class Receiver implements AutoCloseable {
    /** One request as received: the Cairn-Webhook-* headers and the body. */
    public record Received(String id, String timestamp, String topic, String signature, String contentType, String body) {
        /** Whether the signature is HMAC-SHA256 of {@code id.timestamp.body} under {@code secret}, as documented. */
        public boolean signedWith(String secret) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
                return ("v1=" + HexFormat.of().formatHex(digest)).equals(signature);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicBoolean open = new AtomicBoolean(true);

    public Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            received.add(new Received(headers.getFirst("Cairn-Webhook-Id"), headers.getFirst("Cairn-Webhook-Timestamp"),
                    headers.getFirst("Cairn-Webhook-Topic"), headers.getFirst("Cairn-Webhook-Signature"),
                    headers.getFirst("Content-Type"), new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** From now on, answer every request with {@code code}. */
    public void answer(int code) {
        status.set(code);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits up to 20 seconds until {@code count} requests arrived; answers them all. */
    public List<Received> await(int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (received.size() < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("expected " + count + " webhook requests, got " + received);
            }
            pause();
        }
        return received();
    }

    public static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops listening: from then on a connection to {@link #url()} is refused. Closing twice is harmless. */
    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            server.stop(0);
        }
    }
}
