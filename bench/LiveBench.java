import dev.cairn.api.ApiModels.CreateVersion;
import dev.cairn.api.ApiModels.EventList;
import dev.cairn.api.ApiModels.Rollback;
import dev.cairn.api.ApiModels.Transition;
import dev.cairn.api.ApiModels.UpdateModel;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.client.CairnClient;
import dev.cairn.client.LiveModel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Live traffic: how long a promotion or a rollback takes to reach the LiveModels following it, and what open event
 * streams cost the server.
 *
 * <p>(1) Registers a model with two versions (one small file each) and puts version 1 in Production. Starts FOLLOWERS
 * {@code LiveModel}s on {@code models:/NAME/Production}, each with its own CairnClient (own HTTP connection pool) and
 * its own cache directory. Then makes TRANSITIONS moves through the SDK, alternately promoting version 2 and rolling
 * Production back to version 1; each is timed from just before the API call to each follower's swap listener (the
 * version downloaded, or found in the cache, and loaded). After every move all followers have swapped before the next
 * starts, with a 200 ms pause so that every follower is waiting in a long poll again.
 *
 * <p>(2) Opens STREAMS event streams ({@code GET /api/v1/events/stream}, raw HTTP/1.1 sockets, all read by one
 * selector thread), each receiving the model's newest event first to show it is open, and reads the server's
 * VmRSS / VmHWM / Threads from {@code /proc/SERVER_PID/status} before and with them open; then one more event (a
 * description update) is timed until it has reached every stream.
 *
 * <p>Run: {@code java -cp cairn.jar bench/LiveBench.java BASE_URL SERVER_PID [FOLLOWERS=100] [TRANSITIONS=100]
 * [STREAMS=1000]} (bench/live.sh starts the server and does this). CAIRN_TOKEN: the API token, when needed.
 */
public class LiveBench {
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    public static void main(String[] args) throws Exception {
        String base = args[0].replaceAll("/+$", "");
        long serverPid = Long.parseLong(args[1]);
        int followers = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int transitions = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int streams = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
        Path work = Files.createTempDirectory("cairn-live-bench");
        String model = "live-bench-" + System.currentTimeMillis();

        CairnClient admin = client(base);
        register(admin, model, work, 1);
        register(admin, model, work, 2);
        admin.transition(model, 1, new Transition("production", null, null));
        System.out.println("## server before followers: " + proc(serverPid));

        // --- (1) transitions followed by LiveModels --------------------------------------------------------------
        AtomicLongArray swappedAt = new AtomicLongArray(followers);
        List<LiveModel<byte[]>> live = new ArrayList<>();
        long startFollowing = System.nanoTime();
        for (int i = 0; i < followers; i++) {
            int index = i;
            LiveModel<byte[]> follower = LiveModel.follow(client(base), "models:/" + model + "/Production",
                    work.resolve("cache-" + i), (dir, version) -> Files.readAllBytes(dir.resolve("model.bin")));
            follower.addListener(new LiveModel.Listener<>() {
                @Override
                public void swapped(LiveModel.Loaded<byte[]> previous, LiveModel.Loaded<byte[]> current) {
                    swappedAt.set(index, System.nanoTime());
                }
            });
            live.add(follower);
        }
        System.out.printf("%d followers started in %.1f s%n", followers, (System.nanoTime() - startFollowing) / 1e9);
        Thread.sleep(1_000); // every follower waiting in its first long poll
        System.out.println("## server with " + followers + " followers: " + proc(serverPid));

        double[] all = new double[followers * transitions];
        double[] slowest = new double[transitions];
        for (int t = 0; t < transitions; t++) {
            int target = t % 2 == 0 ? 2 : 1;
            long start = System.nanoTime();
            if (target == 2) {
                admin.transition(model, 2, new Transition("production", "bench promotion " + t, null));
            } else {
                admin.rollback(model, new Rollback("production", null, 1, "bench rollback " + t));
            }
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            for (LiveModel<byte[]> follower : live) {
                while (follower.current().version().version() != target) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("transition " + t + ": a follower did not swap to version "
                                + target + " within " + DEADLINE + "; last error " + follower.lastError());
                    }
                    Thread.sleep(1);
                }
            }
            for (int i = 0; i < followers; i++) {
                double millis = (swappedAt.get(i) - start) / 1e6;
                all[t * followers + i] = millis;
                slowest[t] = Math.max(slowest[t], millis);
            }
            Thread.sleep(200);
        }
        Arrays.sort(all);
        Arrays.sort(slowest);
        System.out.printf("## %d transitions x %d followers: time from the API call to each follower's swap%n",
                transitions, followers);
        System.out.printf("all swaps (%d): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", all.length, pct(all, 50),
                pct(all, 99), all[all.length - 1]);
        System.out.printf("slowest follower per transition (%d): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                slowest.length, pct(slowest, 50), pct(slowest, 99), slowest[slowest.length - 1]);
        live.forEach(LiveModel::close);

        // --- (2) open event streams ------------------------------------------------------------------------------
        // The closed followers' long polls end on the server within their 30 s wait; pool threads idle for 30 s exit.
        Thread.sleep(65_000);
        System.out.println("## server without followers, before streams: " + proc(serverPid));
        long newest = 0;
        String page = null;
        do {
            EventList events = admin.history(model, null, 1000, page);
            for (var event : events.events()) {
                newest = Math.max(newest, event.seq());
            }
            page = events.nextPageToken();
        } while (page != null);
        URI uri = URI.create(base);
        try (Selector selector = Selector.open()) {
            StringBuilder[] received = new StringBuilder[streams];
            long opening = System.nanoTime();
            for (int i = 0; i < streams; i++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
                String token = System.getenv("CAIRN_TOKEN");
                String request = "GET /api/v1/events/stream?model=" + model + "&after=" + (newest - 1) + " HTTP/1.1\r\n"
                        + "Host: " + uri.getHost() + "\r\nAccept: text/event-stream\r\n"
                        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
                channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
                channel.configureBlocking(false);
                received[i] = new StringBuilder();
                channel.register(selector, SelectionKey.OP_READ, i);
            }
            awaitAll(selector, received, "id: " + newest + "\n", "its first event");
            System.out.printf("%d streams open, each with its first event, in %.1f s%n", streams,
                    (System.nanoTime() - opening) / 1e9);
            Thread.sleep(1_000);
            System.out.println("## server with " + streams + " open streams: " + proc(serverPid));
            for (StringBuilder text : received) {
                text.setLength(0);
            }
            String marker = "marker-" + System.nanoTime();
            long start = System.nanoTime();
            admin.updateModel(model, new UpdateModel(marker));
            awaitAll(selector, received, marker, "the new event");
            System.out.printf("a new event reached all %d streams in %.1f ms%n", streams,
                    (System.nanoTime() - start) / 1e6);
            System.out.println("## server after: " + proc(serverPid));
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        }
    }

    /** Reads every stream until each has received {@code needle}. */
    private static void awaitAll(Selector selector, StringBuilder[] received, String needle, String what)
            throws IOException {
        boolean[] done = new boolean[received.length];
        int left = received.length;
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (left > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(left + " streams did not receive " + what + " within " + DEADLINE);
            }
            selector.select(1_000);
            for (SelectionKey key : selector.selectedKeys()) {
                int i = (Integer) key.attachment();
                buffer.clear();
                int n = ((SocketChannel) key.channel()).read(buffer);
                if (n < 0) {
                    throw new IllegalStateException("stream " + i + " was closed by the server: " + received[i]);
                }
                received[i].append(new String(buffer.array(), 0, n, StandardCharsets.UTF_8));
                if (!done[i] && received[i].indexOf(needle) >= 0) {
                    done[i] = true;
                    left--;
                }
            }
            selector.selectedKeys().clear();
        }
    }

    private static CairnClient client(String base) {
        CairnClient.Builder builder = CairnClient.builder().baseUrl(base).user("bench");
        String token = System.getenv("CAIRN_TOKEN");
        return token == null ? builder.build() : builder.token(token).build();
    }

    private static Version register(CairnClient client, String model, Path work, int expected) throws IOException {
        Version draft = client.createVersion(model, new CreateVersion(null, null, null, null, null, null, null, null,
                null, true));
        if (draft.version() != expected) {
            throw new IllegalStateException("expected version " + expected + ", got " + draft.version());
        }
        Path file = work.resolve("v" + expected + ".bin");
        Files.writeString(file, "weights of version " + expected + " ".repeat(1000));
        client.uploadFile(model, expected, "model.bin", file, null);
        return client.commit(model, expected);
    }

    /** The server's resident memory (now and peak) and threads, from /proc. */
    private static String proc(long pid) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            if (line.startsWith("VmRSS") || line.startsWith("VmHWM") || line.startsWith("Threads")) {
                out.append(out.length() == 0 ? "" : ", ").append(line.replaceAll("\\s+", " "));
            }
        }
        // Threads by name (the kernel keeps the first 15 characters), numbers dropped: what holds them.
        Map<String, Integer> names = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("[-#]?[0-9]+$", "");
                    names.merge(name, 1, Integer::sum);
                } catch (IOException ended) {
                    // the thread ended while listing
                }
            }
        }
        names.values().removeIf(count -> count < 5);
        return out + " (5 or more: " + names + ")";
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
