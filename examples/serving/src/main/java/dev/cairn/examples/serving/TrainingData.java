package dev.cairn.examples.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated data with a known answer: three features drawn from a standard normal distribution, and a label drawn
 * with probability {@code sigmoid(6·x0 − 4·x1 + 2·x2 + 1)} of being 1. A model that learns this boundary gets about
 * 7 % of labels wrong (the labels are noisy near the boundary); one that does not gets far more.
 */
public final class TrainingData {
    /** The boundary the labels come from. */
    static final double[] TRUE_WEIGHTS = {6.0, -4.0, 2.0};
    static final double TRUE_BIAS = 1.0;
    /** The hold-out set's seed: apart from every training seed a user is likely to pick. */
    static final long HOLD_OUT_SEED = 0x5eed_0f_70_1dL;
    static final int HOLD_OUT_SIZE = 2000;

    /** One labelled example. */
    public record Example(double[] features, int label) {
        public Example {
            features = features.clone();
            if (label != 0 && label != 1) {
                throw new IllegalArgumentException("a label is 0 or 1, got " + label);
            }
        }

        @Override
        public double[] features() {
            return features.clone();
        }
    }

    private TrainingData() {}

    /** {@code count} examples from {@code seed}: the same seed gives the same examples. */
    public static List<Example> generate(long seed, int count) {
        Random random = new Random(seed);
        List<Example> examples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double[] x = new double[TRUE_WEIGHTS.length];
            double z = TRUE_BIAS;
            for (int j = 0; j < x.length; j++) {
                x[j] = random.nextGaussian();
                z += TRUE_WEIGHTS[j] * x[j];
            }
            examples.add(new Example(x, random.nextDouble() < LogisticRegression.sigmoid(z) ? 1 : 0));
        }
        return examples;
    }

    /** The held-out examples every model is measured on, never trained on. */
    public static List<Example> holdOut() {
        return generate(HOLD_OUT_SEED, HOLD_OUT_SIZE);
    }

    /**
     * The incident's labelling bug: each positive example is relabelled 0 with probability {@code fraction}.
     * Flipping labels of both classes at random would barely move a logistic regression's boundary; losing positives
     * moves it, as such bugs do.
     */
    public static List<Example> flipPositives(List<Example> examples, double fraction, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("the fraction of labels to flip must be between 0 and 1, got "
                    + fraction);
        }
        Random random = new Random(seed ^ 0xf11bL);
        List<Example> flipped = new ArrayList<>(examples.size());
        for (Example e : examples) {
            boolean flip = e.label() == 1 && random.nextDouble() < fraction;
            flipped.add(flip ? new Example(e.features(), 0) : e);
        }
        return flipped;
    }
}
