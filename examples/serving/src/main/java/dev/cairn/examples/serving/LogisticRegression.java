package dev.cairn.examples.serving;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.examples.serving.TrainingData.Example;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A binary logistic-regression classifier, {@code P(label = 1 | x) = sigmoid(weights · x + bias)}, trained by batch
 * gradient descent. Immutable.
 *
 * <p>Its file ({@value #FILE_NAME}) is JSON:
 * <pre>{@code {"format": "cairn-example/logistic-regression", "weights": [5.8, -3.9, 2.0], "bias": 0.97}}</pre>
 * {@link #read(Path)} accepts exactly that shape: the format marker, at least one weight, finite numbers, no other
 * fields, so a wrong or truncated file is refused before it can serve.
 */
public final class LogisticRegression {
    /** The name of the model file inside a registered version. */
    public static final String FILE_NAME = "model.json";
    /** The value of the file's {@code format} field. */
    public static final String FORMAT = "cairn-example/logistic-regression";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> FIELDS = Set.of("format", "weights", "bias");

    private final double[] weights;
    private final double bias;

    public LogisticRegression(double[] weights, double bias) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("a model needs at least one weight");
        }
        for (double w : weights) {
            requireFinite(w, "weight");
        }
        this.weights = weights.clone();
        this.bias = requireFinite(bias, "bias");
    }

    /**
     * Fits a model to {@code examples} by batch gradient descent on the mean log loss, starting from zero weights.
     * Deterministic: the same examples give the same model.
     */
    public static LogisticRegression fit(List<Example> examples, int epochs, double learningRate) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no examples to train on");
        }
        int features = examples.get(0).features().length;
        double[] w = new double[features];
        double b = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            double[] gradient = new double[features];
            double gradientBias = 0;
            for (Example example : examples) {
                double[] x = example.features();
                double error = sigmoid(dot(w, x) + b) - example.label();
                for (int j = 0; j < features; j++) {
                    gradient[j] += error * x[j];
                }
                gradientBias += error;
            }
            for (int j = 0; j < features; j++) {
                w[j] -= learningRate * gradient[j] / examples.size();
            }
            b -= learningRate * gradientBias / examples.size();
        }
        return new LogisticRegression(w, b);
    }

    /** The number of features a prediction takes. */
    public int features() {
        return weights.length;
    }

    /** {@code P(label = 1)} for {@code features}; throws when their count is not {@link #features()}. */
    public double probability(double[] features) {
        if (features.length != weights.length) {
            throw new IllegalArgumentException("this model takes " + weights.length + " features, got "
                    + features.length);
        }
        return sigmoid(dot(weights, features) + bias);
    }

    /** 1 when {@link #probability} is at least one half, else 0. */
    public int label(double[] features) {
        return probability(features) >= 0.5 ? 1 : 0;
    }

    /** The fraction of {@code examples} whose label this model gets wrong. */
    public double errorRate(List<Example> examples) {
        long wrong = examples.stream().filter(e -> label(e.features()) != e.label()).count();
        return (double) wrong / examples.size();
    }

    /** Writes the model file (see the class comment). */
    public void write(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode array = root.putArray("weights");
        for (double w : weights) {
            array.add(w);
        }
        root.put("bias", bias);
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }

    /** Reads and validates a model file; an {@link IOException} names what is wrong with it. */
    public static LogisticRegression read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + " is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + " is not a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IOException(file + " has an unknown field '" + name + "'");
            }
        }
        if (!FORMAT.equals(root.path("format").asText(null))) {
            throw new IOException(file + " is not a " + FORMAT + " model (format: " + root.get("format") + ")");
        }
        JsonNode weights = root.get("weights");
        if (weights == null || !weights.isArray() || weights.isEmpty()) {
            throw new IOException(file + ": weights must be a non-empty array of numbers");
        }
        double[] w = new double[weights.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = number(weights.get(i), "weights[" + i + "]", file);
        }
        return new LogisticRegression(w, number(root.get("bias"), "bias", file));
    }

    @Override
    public String toString() {
        return "LogisticRegression(weights=" + Arrays.toString(weights) + ", bias=" + bias + ")";
    }

    private static double number(JsonNode node, String what, Path file) throws IOException {
        if (node == null || !node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw new IOException(file + ": " + what + " must be a finite number, got " + node);
        }
        return node.asDouble();
    }

    private static double requireFinite(double value, String what) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " must be finite, got " + value);
        }
        return value;
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
