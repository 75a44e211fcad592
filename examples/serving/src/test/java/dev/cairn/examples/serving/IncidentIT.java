package dev.cairn.examples.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.examples.serving.TrainingData.Example;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident of the mission, end to end: a service follows a model's Production stage; version 2, trained on
 * corrupted labels, is promoted and the service's answers go wrong; {@code cairn rollback} brings version 1 back within
 * a second, with no restart and not one failed request while a client hammers the service throughout.
 */
class IncidentIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;

    static CairnServer registry;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        registry = CairnServer.start(ServerConfig.builder().port(0).dataDir(data).build());
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void aRollbackRestoresGoodAnswersWithinASecondWithoutAFailedRequest() throws Exception {
        String model = "loan-default";
        Map<Integer, LogisticRegression> versions = Map.of(
                1, trainAndRegister(model, "v1", 1, "0", "first model"),
                2, trainAndRegister(model, "v2", 2, "0.45", "retrained on the new labelling pipeline"));
        cairn("promote", model, "1", "--to", "production", "-m", "first release");

        try (PredictionServer service = Serve.start(Serve.Options.parse(new String[] {
                "--registry", registry.url(), "--model", "models:/" + model + "/Production",
                "--port", "0", "--cache", work.resolve("cache").toString()}));
             Hammer hammer = new Hammer(service.port(), TrainingData.holdOut(), versions, 4)) {
            await("300 answers from version 1", () -> hammer.count(a -> a.version() == 1) >= 300);

            long promoting = System.nanoTime();
            cairn("promote", model, "2", "--to", "production", "-m", "better on the new labels");
            long promoted = System.nanoTime();
            await("300 answers asked for a second after the promotion",
                    () -> hammer.count(a -> a.started() >= promoted + SECOND) >= 300);

            long rollingBack = System.nanoTime();
            cairn("rollback", model, "--stage", "production", "-m", "v2 answers are wrong");
            long rolledBack = System.nanoTime();
            await("200 answers asked for a second after the rollback",
                    () -> hammer.count(a -> a.started() >= rolledBack + SECOND) >= 200);
            hammer.stop();

            List<Answer> answers = hammer.answers();
            System.out.printf(Locale.ROOT, "incident: %d answers, %d failed requests%n", answers.size(),
                    hammer.failures().size());
            assertThat(hammer.failures()).as("failed requests").isEmpty();

            List<Answer> before = select(answers, a -> a.finished() < promoting);
            List<Answer> fromTwo = select(answers, a -> a.version() == 2);
            List<Answer> afterRollback = select(answers, a -> a.started() >= rolledBack + SECOND);
            assertThat(before).isNotEmpty().allMatch(a -> a.version() == 1);
            double errorOne = errorRate(before);
            double errorTwo = errorRate(fromTwo);
            System.out.printf(Locale.ROOT, "incident: error rate %.3f on version 1, %.3f on version 2%n", errorOne,
                    errorTwo);
            assertThat(errorOne).as("version 1's error rate").isLessThan(0.12);
            assertThat(errorTwo).as("version 2's error rate").isGreaterThan(errorOne + 0.2);

            assertThat(select(answers, a -> a.started() >= promoted + SECOND && a.finished() < rollingBack))
                    .as("answers asked a second after the promotion").isNotEmpty()
                    .allMatch(a -> a.version() == 2);

            long firstOne = answers.stream().filter(a -> a.started() >= rolledBack && a.version() == 1)
                    .mapToLong(Answer::finished).min().orElseThrow();
            System.out.printf(Locale.ROOT, "incident: version 1 answered %d ms after the rollback returned%n",
                    TimeUnit.NANOSECONDS.toMillis(firstOne - rolledBack));
            assertThat(firstOne - rolledBack).as("nanoseconds from the rollback to version 1's first answer")
                    .isLessThanOrEqualTo(SECOND);
            assertThat(afterRollback).as("answers asked a second after the rollback")
                    .allMatch(a -> a.version() == 1);
            assertThat(errorRate(afterRollback)).isLessThan(0.12);

            JsonNode health = JSON.readTree(get(service.port(), "/healthz").body());
            assertThat(health.get("version").asInt()).isEqualTo(1);
            assertThat(health.has("last_error")).isFalse();
            assertThat(cairn("history", model).lines().reduce((first, second) -> second).orElseThrow())
                    .contains("rollback", "Production: v2 -> v1", "v2 answers are wrong");
        }
    }

    @Test
    void badRequestsAreRefusedWithTheReasonAndTheServiceKeepsAnswering() throws Exception {
        String model = "bad-input";
        LogisticRegression v1 = trainAndRegister(model, "v1", 1, "0", "first model");
        cairn("promote", model, "1", "--to", "production");
        try (PredictionServer service = Serve.start(Serve.Options.parse(new String[] {
                "--registry", registry.url(), "--model", "models:/" + model + "/Production",
                "--port", "0", "--cache", work.resolve("cache").toString()}))) {
            int port = service.port();
            assertRefused(post(port, "{\"features\": [1, 2]"), 400, "the body is not JSON");
            assertRefused(post(port, "{\"values\": [1, 2, 3]}"), 400, "the body must be {\"features\": [numbers]}");
            assertRefused(post(port, "{\"features\": [1, \"2\", 3]}"), 400, "features[1] must be a finite number");
            assertRefused(post(port, "{\"features\": [1, 2]}"), 400, "features must hold 3 numbers, got 2");
            assertRefused(get(port, "/predict"), 405, "GET is not allowed here; use POST");
            assertRefused(get(port, "/predict/more"), 404, "no such path");

            HttpResponse<String> good = post(port, "{\"features\": [1.0, -0.5, 0.25]}");
            assertThat(good.statusCode()).isEqualTo(200);
            JsonNode answer = JSON.readTree(good.body());
            assertThat(answer.get("version").asInt()).isEqualTo(1);
            assertThat(answer.get("probability").asDouble()).isEqualTo(v1.probability(new double[] {1.0, -0.5, 0.25}));
            assertThat(answer.get("label").asInt()).isEqualTo(1);
        }
    }

    @Test
    void serveRefusesBadOptionsAndAReferenceItCannotLoad() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(Serve.run(new String[] {"--model", "models:/x/Production"}, System.out, printStream(err)))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: --registry is required")
                .contains("usage: serve");

        ByteArrayOutputStream missing = new ByteArrayOutputStream();
        assertThat(Serve.run(new String[] {"--registry", registry.url(), "--model", "models:/nothing/Production",
                "--port", "0", "--cache", work.resolve("cache").toString()}, System.out, printStream(missing)))
                .isEqualTo(1);
        assertThat(missing.toString(StandardCharsets.UTF_8)).startsWith("error: cannot serve models:/nothing/Production:")
                .contains("nothing");
    }

    // --- the user's side: train, register, promote -------------------------------------------------------------

    /** Trains with {@link Train}'s command line and registers the result with {@code cairn register}, as a user would. */
    private LogisticRegression trainAndRegister(String model, String dir, long seed, String flip, String description)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Train.run(new String[] {"--out", work.resolve(dir).toString(), "--seed", Long.toString(seed),
                "--flip-labels", flip}, printStream(bytes), printStream(bytes));
        String trained = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(trained).isZero();
        Matcher accuracy = Pattern.compile("(?m)^accuracy=([0-9.]+)$").matcher(trained);
        assertThat(accuracy.find()).as(trained).isTrue();
        cairn("register", model, dir, "--metric", "accuracy=" + accuracy.group(1),
                "--param", "seed=" + seed, "--param", "flip_labels=" + flip,
                "--param", "epochs=" + Train.EPOCHS, "--param", "learning_rate=" + Train.LEARNING_RATE,
                "--dataset", "train=generated:logistic-3d@seed-" + seed,
                "--dataset", "test=generated:logistic-3d@hold-out",
                "--run-id", "train-" + dir, "--format", "logistic-regression-json", "--description", description);
        return LogisticRegression.read(work.resolve(dir).resolve(LogisticRegression.FILE_NAME));
    }

    /** Runs {@code cairn} through its real entry point, in this process, insists that it succeeds: its output. */
    private String cairn(String... args) {
        List<String> all = new ArrayList<>(List.of("--url", registry.url(), "-C", work.toString()));
        all.addAll(Arrays.asList(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var command = dev.cairn.cli.Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int code = command.execute(all.toArray(String[]::new));
        assertThat(code).as("cairn %s: %s%s", String.join(" ", args), out, err).isZero();
        return out.toString();
    }

    // --- the client's side ---------------------------------------------------------------------------------------

    /** One answered request: when it was asked and answered ({@link System#nanoTime()}), by which version, rightly. */
    record Answer(long started, long finished, int version, boolean correct) {}

    /**
     * Clients that ask for predictions of the hold-out examples, back to back, until stopped. An answer that is not
     * a 200 with a well-formed body that the version it names would give is a failed request, as is any exception.
     */
    static final class Hammer implements AutoCloseable {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final URI predict;
        private final List<Example> examples;
        private final Map<Integer, LogisticRegression> versions;
        private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
        private final Queue<String> failures = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopped;

        Hammer(int port, List<Example> examples, Map<Integer, LogisticRegression> versions, int clients) {
            this.predict = URI.create("http://127.0.0.1:" + port + "/predict");
            this.examples = examples;
            this.versions = versions;
            for (int i = 0; i < clients; i++) {
                int offset = i * examples.size() / clients;
                Thread thread = new Thread(() -> hammer(offset), "hammer-" + i);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        private void hammer(int offset) {
            for (int i = offset; !stopped; i++) {
                Example example = examples.get(i % examples.size());
                long started = System.nanoTime();
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(predict)
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    JSON.createObjectNode().set("features", JSON.valueToTree(example.features()))
                                            .toString()))
                            .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    long finished = System.nanoTime();
                    String problem = check(response, example);
                    if (problem != null) {
                        failures.add(problem);
                    } else {
                        JsonNode body = JSON.readTree(response.body());
                        answers.add(new Answer(started, finished, body.get("version").asInt(),
                                body.get("label").asInt() == example.label()));
                    }
                } catch (IOException e) {
                    failures.add(e.toString());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** What is wrong with a response, or null when it is a well-formed answer of the version it names. */
        private String check(HttpResponse<String> response, Example example) throws IOException {
            if (response.statusCode() != 200) {
                return "status " + response.statusCode() + ": " + response.body();
            }
            JsonNode body = JSON.readTree(response.body());
            JsonNode label = body.get("label");
            JsonNode probability = body.get("probability");
            JsonNode version = body.get("version");
            if (body.size() != 3 || label == null || !label.isInt() || probability == null || !probability.isNumber()
                    || version == null || !version.isInt()) {
                return "malformed answer: " + response.body();
            }
            LogisticRegression model = versions.get(version.asInt());
            if (model == null) {
                return "an answer from unknown version " + version + ": " + response.body();
            }
            if (probability.asDouble() != model.probability(example.features())
                    || label.asInt() != model.label(example.features())) {
                return "version " + version + " would not answer " + response.body() + " for "
                        + Arrays.toString(example.features());
            }
            return null;
        }

        long count(Predicate<Answer> which) {
            return answers.stream().filter(which).count();
        }

        List<Answer> answers() {
            return List.copyOf(answers);
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        /** Stops the clients after their current request. */
        void stop() {
            stopped = true;
            try {
                for (Thread thread : threads) {
                    thread.join(TimeUnit.SECONDS.toMillis(15));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            stop();
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static List<Answer> select(List<Answer> answers, Predicate<Answer> which) {
        return answers.stream().filter(which).toList();
    }

    private static double errorRate(List<Answer> answers) {
        assertThat(answers).isNotEmpty();
        return (double) answers.stream().filter(a -> !a.correct()).count() / answers.size();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for %s", DEADLINE, what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static HttpResponse<String> post(int port, String body) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/predict"))
                .version(HttpClient.Version.HTTP_1_1)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .version(HttpClient.Version.HTTP_1_1).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> response, int status, String message) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("error").asText()).startsWith(message);
    }

    private static PrintStream printStream(ByteArrayOutputStream into) {
        return new PrintStream(into, true, StandardCharsets.UTF_8);
    }
}
