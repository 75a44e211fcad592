package dev.cairn.examples.serving;

import dev.cairn.examples.serving.TrainingData.Example;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code train --out DIR [--seed N] [--samples N] [--flip-labels F]}: generates training data from {@code seed},
 * fits a {@link LogisticRegression} and writes it to {@code DIR/model.json}, ready for {@code cairn register}.
 * {@code --flip-labels F} relabels a fraction F of the positive examples as negative first: the corrupted labels of
 * the incident. Prints the model's accuracy on the hold-out set as {@code accuracy=...}, to pass to
 * {@code cairn register --metric}.
 */
public final class Train {
    static final int EPOCHS = 300;
    static final double LEARNING_RATE = 1.0;

    private Train() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; answers the exit status: 0 on success, 1 when the file cannot be written, 2 on bad input. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path dir;
        long seed;
        int samples;
        double flip;
        try {
            Args options = Args.parse(args, Set.of("out", "seed", "samples", "flip-labels"));
            dir = Path.of(options.required("out"));
            seed = options.longValue("seed", 1);
            samples = options.intValue("samples", 5000, 10, 10_000_000);
            flip = options.fraction("flip-labels");
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("usage: train --out DIR [--seed N] [--samples N] [--flip-labels F]");
            return 2;
        }
        List<Example> examples = TrainingData.flipPositives(TrainingData.generate(seed, samples), flip, seed);
        LogisticRegression model = LogisticRegression.fit(examples, EPOCHS, LEARNING_RATE);
        Path file = dir.resolve(LogisticRegression.FILE_NAME);
        try {
            Files.createDirectories(dir);
            model.write(file);
        } catch (IOException e) {
            err.println("error: cannot write " + file + ": " + e.getMessage());
            return 1;
        }
        double accuracy = 1 - model.errorRate(TrainingData.holdOut());
        out.println("wrote " + file + " (" + samples + " examples, seed " + seed + ", "
                + percent(flip) + " of positive labels flipped)");
        out.println(String.format(Locale.ROOT, "accuracy=%.4f", accuracy));
        return 0;
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }
}
