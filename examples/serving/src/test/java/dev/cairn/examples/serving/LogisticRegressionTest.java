package dev.cairn.examples.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogisticRegressionTest {
    @TempDir
    Path dir;

    @Test
    void learnsTheGeneratingBoundaryAndCorruptedLabelsSpoilIt() {
        List<TrainingData.Example> holdOut = TrainingData.holdOut();
        LogisticRegression clean = LogisticRegression.fit(TrainingData.generate(1, 5000), Train.EPOCHS,
                Train.LEARNING_RATE);
        LogisticRegression corrupted = LogisticRegression.fit(
                TrainingData.flipPositives(TrainingData.generate(2, 5000), 0.45, 2), Train.EPOCHS, Train.LEARNING_RATE);
        LogisticRegression truth = new LogisticRegression(TrainingData.TRUE_WEIGHTS, TrainingData.TRUE_BIAS);

        assertThat(clean.errorRate(holdOut)).isLessThan(truth.errorRate(holdOut) + 0.02);
        assertThat(corrupted.errorRate(holdOut)).isGreaterThan(clean.errorRate(holdOut) + 0.2);
    }

    @Test
    void theSameSeedTrainsTheSameModel() throws IOException {
        LogisticRegression a = LogisticRegression.fit(TrainingData.generate(7, 500), 50, 1.0);
        LogisticRegression b = LogisticRegression.fit(TrainingData.generate(7, 500), 50, 1.0);
        a.write(dir.resolve("a.json"));
        b.write(dir.resolve("b.json"));
        assertThat(dir.resolve("a.json")).hasSameTextualContentAs(dir.resolve("b.json"));
    }

    @Test
    void aWrittenModelReadsBackAndPredictsTheSame() throws IOException {
        LogisticRegression model = new LogisticRegression(new double[] {1.5, -2.25, 0.125}, 0.5);
        Path file = dir.resolve(LogisticRegression.FILE_NAME);
        model.write(file);
        LogisticRegression read = LogisticRegression.read(file);

        double[] x = {0.3, -0.1, 2.0};
        assertThat(read.probability(x)).isEqualTo(model.probability(x));
        assertThat(read.label(new double[] {1, 0, 0})).isEqualTo(1);
        assertThat(read.label(new double[] {-1, 0, 0})).isZero();
        assertThatThrownBy(() -> read.probability(new double[] {1, 2}))
                .hasMessage("this model takes 3 features, got 2");
    }

    @Test
    void refusesFilesThatAreNotThisModel() throws IOException {
        assertRefused("{\"format\":\"cairn-example/logistic-regression\",\"weights\":[1,2]", "is not JSON");
        assertRefused("[1,2,3]", "is not a JSON object");
        assertRefused("{\"format\":\"onnx\",\"weights\":[1],\"bias\":0}", "is not a cairn-example/logistic-regression");
        assertRefused("{\"format\":\"cairn-example/logistic-regression\",\"weights\":[],\"bias\":0}",
                "weights must be a non-empty array");
        assertRefused("{\"format\":\"cairn-example/logistic-regression\",\"weights\":[1,\"2\"],\"bias\":0}",
                "weights[1] must be a finite number");
        assertRefused("{\"format\":\"cairn-example/logistic-regression\",\"weights\":[1]}",
                "bias must be a finite number");
        assertRefused("{\"format\":\"cairn-example/logistic-regression\",\"weights\":[1],\"bias\":0,\"extra\":1}",
                "unknown field 'extra'");
    }

    private void assertRefused(String content, String message) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, content);
        assertThatThrownBy(() -> LogisticRegression.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(message);
    }
}
