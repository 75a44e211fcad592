package dev.cairn.examples.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run train(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Train.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void writesALoadableModelAndPrintsItsHoldOutAccuracy() throws IOException {
        Run run = train("--out", dir.resolve("v1").toString(), "--seed", "1", "--samples", "2000");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("(?m)^accuracy=0\\.9[0-9]{3}$");
        LogisticRegression model = LogisticRegression.read(dir.resolve("v1/model.json"));
        assertThat(1 - model.errorRate(TrainingData.holdOut())).isGreaterThan(0.9);
    }

    @Test
    void badOptionsAreRefusedWithTheReasonAndWriteNothing() {
        Path out = dir.resolve("bad");
        assertRefused("--out is required");
        assertRefused("unknown option '--epochs'", "--out", out.toString(), "--epochs", "3");
        assertRefused("--seed needs a value", "--out", out.toString(), "--seed");
        assertRefused("--seed must be a whole number, got 'one'", "--out", out.toString(), "--seed", "one");
        assertRefused("--flip-labels must be between 0 and 1, got 1.5", "--out", out.toString(), "--flip-labels", "1.5");
        assertRefused("--samples must be between 10 and", "--out", out.toString(), "--samples", "3");
        assertThat(out).doesNotExist();
    }

    private static void assertRefused(String message, String... args) {
        Run run = train(args);
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: " + message).contains("usage: train");
        assertThat(run.out()).isEmpty();
    }
}
