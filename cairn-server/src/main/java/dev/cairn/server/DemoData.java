package dev.cairn.server;

import dev.cairn.core.GovernanceService;
import dev.cairn.core.RegistryService;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.governance.Policy;
import dev.cairn.core.governance.Role;
import dev.cairn.core.governance.TransitionRequest;
import dev.cairn.core.model.Lineage;
import dev.cairn.core.model.NewVersion;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.Signature;
import dev.cairn.core.model.Stage;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A made-up but realistic registry for {@code cairn serve --demo}, so that a newcomer sees a populated web UI at once:
 * four models of ten versions each with moving metrics, params, lineage, signatures and tags, registered over the last
 * two months by a few users, with transitions to Staging and Production, aliases, a promotion policy, approved, rejected
 * and pending transition requests, and a rollback after a bad deploy.
 *
 * <p>Everything goes through {@link RegistryService} and {@link GovernanceService}, as the API's calls do, so the audit
 * chain and the pointer history are the real thing. The content is deterministic (a fixed seed); only the timestamps
 * follow today's date, under a clock that starts 60 days ago and moves forward between steps.
 */
public final class DemoData {
    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);
    /** The seed of every made-up number and byte: the same demo registry on every machine. */
    private static final long SEED = 20_261_127L;
    private static final int ROUNDS = 10;
    private static final String FRAUD = "fraud-detector";
    private static final String CHURN = "churn-predictor";
    private static final String DEMAND = "demand-forecast";
    private static final String IMAGES = "image-tagger";

    /**
     * What {@link #seed} found or made.
     *
     * @param seeded false when the registry already held models and was left as it was
     */
    public record Result(boolean seeded, int models, int versions) {}

    private final RegistryService registry;
    private final GovernanceService governance;
    private final DemoClock clock;
    private final Random random = new Random(SEED);
    private Actor maya;
    private Actor leo;
    private Actor sam;
    private Actor priya;

    private DemoData(RegistryService registry, GovernanceService governance, DemoClock clock) {
        this.registry = registry;
        this.governance = governance;
        this.clock = clock;
    }

    /**
     * Seeds the embedded registry of {@code dataDir} ({@code DATA/cairn.db} and {@code DATA/blobs}, as the server lays
     * them out), creating it when missing. A registry that already holds a model is left untouched, so running it
     * again reuses the demo registry instead of duplicating it.
     */
    public static Result seed(Path dataDir) {
        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(dataDir.resolve("cairn.db"));
             BlobBackend blobs = BlobBackend.open(new ServerConfig.BlobLocation.Directory(dataDir.resolve("blobs")))) {
            Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(60)).plus(Duration.ofHours(9));
            DemoClock clock = new DemoClock(start);
            RegistryService registry = new RegistryService(store, blobs.store(), clock);
            GovernanceService governance = new GovernanceService(registry, store, clock, null);
            int models = registry.listModels(null, 100, null).items().size();
            if (models > 0) {
                LOG.info("Demo data: {} already holds {} model(s), left as it is", dataDir, models);
                return new Result(false, models, 0);
            }
            new DemoData(registry, governance, clock).populate();
            int count = registry.listModels(null, 100, null).items().size();
            LOG.info("Demo data: seeded {} with {} made-up models of {} versions each", dataDir, count, ROUNDS);
            return new Result(true, count, count * ROUNDS);
        }
    }

    private void populate() {
        Actor admin = Actor.user("demo-admin", Role.ADMIN);
        // Users sign in with tokens, as they would through the API; the secrets are dropped, so nobody can use them.
        maya = user(admin, "maya", Role.EDITOR);
        leo = user(admin, "leo", Role.EDITOR);
        sam = user(admin, "sam", Role.APPROVER);
        priya = user(admin, "priya", Role.APPROVER);
        user(admin, "kim", Role.VIEWER);

        registry.createModel(maya, FRAUD, "Scores card transactions for fraud risk; gradient-boosted trees exported to "
                + "ONNX, served by the payments gateway.", Map.of("team", "risk", "task", "binary-classification"));
        registry.createModel(leo, CHURN, "Predicts which subscribers cancel within 30 days; feeds the retention "
                + "campaigns.", Map.of("team", "growth", "task", "binary-classification"));
        registry.createModel(leo, DEMAND, "Forecasts daily demand per store and product family, 14 days ahead.",
                Map.of("team", "supply-chain", "task", "forecasting"));
        registry.createModel(maya, IMAGES, "Tags catalogue photos with product attributes (colour, pattern, "
                + "category); a fine-tuned vision transformer.", Map.of("team", "catalogue", "task", "multi-label"));
        wait(2, 0);
        governance.setPolicy(admin, FRAUD, new Policy(Map.of("auc", 0.88), Map.of("latency_ms", 15.0), true, true, false,
                true, Duration.ofHours(12), true, 1, true, List.of("champion")));

        for (int round = 1; round <= ROUNDS; round++) {
            fraud(round);
            churn(round);
            demand(round);
            images(round);
        }
    }

    // --- the four models' stories ------------------------------------------------------------------------------

    /** Governed by a policy: every move to Production or @champion is a request an approver decides. */
    private void fraud(int v) {
        wait(16, 12);
        double auc = 0.872 + 0.0085 * v + noise(0.003);
        Map<String, Double> metrics = metrics("auc", auc, "precision", 0.71 + 0.015 * v + noise(0.01),
                "recall", v == 5 ? 0.58 : 0.62 + 0.012 * v + noise(0.01), "latency_ms", 13.5 - 0.35 * v + noise(0.4),
                "loss", 0.41 - 0.018 * v + noise(0.006));
        Map<String, String> params = Map.of("max_depth", Integer.toString(6 + v / 3), "learning_rate",
                v < 5 ? "0.05" : "0.03", "n_estimators", Integer.toString(400 + 50 * v), "subsample", "0.8");
        List<Signature.Column> inputs = new ArrayList<>(List.of(column("amount", "double"),
                column("merchant_category", "string"), column("country", "string"), column("hour", "long")));
        if (v >= 7) {
            inputs.add(new Signature.Column("device_age_days", "long", true));
        }
        Signature signature = new Signature(inputs, List.of(column("fraud_score", "double")));
        register(maya, FRAUD, v, "onnx", metrics, params, signature, "https://git.example.com/risk/fraud.git",
                List.of(dataset("transactions", "s3://data/transactions", month(v), Lineage.DatasetRole.TRAIN),
                        dataset("transactions-holdout", "s3://data/transactions-holdout", month(v),
                                Lineage.DatasetRole.VALIDATION)),
                "model.onnx", 4096, Map.of("framework", "xgboost", "experiment", "fraud-gbt"));
        switch (v) {
            case 3, 6 -> {
                toStaging(maya, FRAUD, v, "shadow traffic looks clean");
                wait(14, 6);
                TransitionRequest request = governance.createRequest(maya, FRAUD, v, Pointer.stage(Stage.PRODUCTION),
                        "AUC " + metric(FRAUD, v, "auc") + " on the holdout; ran a day in Staging");
                wait(3, 4);
                governance.approve(v == 3 ? sam : priya, request.id(), "checked the holdout report");
                wait(1, 2);
                TransitionRequest champion = governance.createRequest(maya, FRAUD, v, Pointer.alias("champion"),
                        "make it the champion the gateway reads");
                wait(1, 2);
                governance.approve(v == 3 ? priya : sam, champion.id(), "");
            }
            case 5 -> {
                toStaging(maya, FRAUD, v, "new learning rate");
                wait(14, 4);
                TransitionRequest request = governance.createRequest(maya, FRAUD, v, Pointer.stage(Stage.PRODUCTION),
                        "slightly better AUC");
                wait(5, 5);
                governance.reject(sam, request.id(), "recall dropped to 0.58: we would miss too much fraud");
            }
            case 8 -> {
                wait(2, 3);
                registry.setAlias(maya, FRAUD, "challenger", v, "A/B test against the champion");
            }
            case 10 -> {
                toStaging(maya, FRAUD, v, "adds device age");
                wait(13, 4);
                governance.createRequest(maya, FRAUD, v, Pointer.stage(Stage.PRODUCTION),
                        "best AUC so far, latency under budget");
            }
            default -> { }
        }
    }

    /** No policy: approvers promote directly; version 7 is the bad deploy that gets rolled back. */
    private void churn(int v) {
        wait(16, 12);
        boolean bad = v == 7;
        Map<String, Double> metrics = metrics("auc", 0.78 + 0.011 * v + noise(0.005),
                "accuracy", 0.81 + 0.008 * v + noise(0.004), "latency_ms", bad ? 41.0 + noise(1) : 14 + noise(1.5),
                "loss", 0.52 - 0.02 * v + noise(0.008));
        Map<String, String> params = Map.of("C", v < 4 ? "1.0" : "0.5", "penalty", "l2", "class_weight", "balanced",
                "features", Integer.toString(bad ? 412 : 120 + 6 * v));
        register(leo, CHURN, v, "sklearn", metrics, params, null, "https://git.example.com/growth/churn.git",
                List.of(dataset("subscribers", "s3://warehouse/subscribers", "2026-w" + (30 + v), Lineage.DatasetRole.TRAIN)),
                "model.pkl", 3072, bad ? Map.of("framework", "sklearn", "note", "wide feature set")
                        : Map.of("framework", "sklearn"));
        switch (v) {
            case 2, 4 -> {
                toStaging(leo, CHURN, v, "nightly retrain");
                wait(20, 10);
                registry.transition(priya, CHURN, v, Stage.PRODUCTION, "better AUC than Production", true);
                wait(1, 1);
                registry.setAlias(priya, CHURN, "champion", v, "");
            }
            case 7 -> {
                toStaging(leo, CHURN, v, "wide feature set");
                wait(10, 6);
                registry.transition(priya, CHURN, v, Stage.PRODUCTION, "AUC +2 points offline", true);
                wait(9, 6);
                registry.rollback(sam, CHURN, Pointer.stage(Stage.PRODUCTION), Optional.empty(),
                        "bad deploy: p99 latency tripled and the scoring job timed out");
                wait(1, 1);
                registry.setVersionTag(sam, CHURN, v, "incident", "INC-2291 latency regression");
            }
            case 9 -> {
                toStaging(leo, CHURN, v, "features pruned back");
                wait(2, 2);
                registry.setAlias(leo, CHURN, "challenger", v, "");
            }
            default -> { }
        }
    }

    private void demand(int v) {
        wait(16, 12);
        double mape = 0.182 - 0.007 * v + noise(0.004);
        Map<String, Double> metrics = metrics("accuracy", 1 - mape, "mape", mape,
                "rmse", 41.0 - 1.6 * v + noise(0.8), "latency_ms", 85 + noise(6), "loss", 0.33 - 0.012 * v + noise(0.006));
        Map<String, String> params = Map.of("horizon_days", "14", "lookback_days", Integer.toString(v < 6 ? 56 : 112),
                "hidden_size", "128", "dropout", "0.1");
        register(leo, DEMAND, v, "pytorch", metrics, params, null, "https://git.example.com/supply/forecast.git",
                List.of(dataset("sales", "s3://warehouse/daily-sales", month(v), Lineage.DatasetRole.TRAIN),
                        dataset("calendar", "s3://warehouse/holiday-calendar", "v3", Lineage.DatasetRole.OTHER)),
                "model.pt", 5120, Map.of("framework", "pytorch", "architecture", "tft"));
        switch (v) {
            case 3, 5 -> {
                toStaging(leo, DEMAND, v, "weekly retrain");
                wait(30, 8);
                registry.transition(sam, DEMAND, v, Stage.PRODUCTION, "lower MAPE on the last four weeks", true);
            }
            case 9 -> toStaging(leo, DEMAND, v, "longer lookback");
            default -> { }
        }
    }

    private void images(int v) {
        wait(16, 12);
        Map<String, Double> metrics = metrics("accuracy", 0.842 + 0.009 * v + noise(0.004),
                "top5_accuracy", 0.951 + 0.003 * v + noise(0.002), "latency_ms", 38 - 0.8 * v + noise(1.2),
                "loss", 0.61 - 0.028 * v + noise(0.01));
        Map<String, String> params = Map.of("backbone", "vit-b16", "epochs", Integer.toString(8 + 2 * v),
                "batch_size", "64", "image_size", v < 4 ? "224" : "256");
        Signature signature = new Signature(List.of(column("image", "tensor<uint8>[-1,256,256,3]")),
                List.of(column("labels", "tensor<float32>[-1,312]")));
        register(maya, IMAGES, v, "onnx", metrics, params, signature, "https://git.example.com/catalogue/tagger.git",
                List.of(dataset("catalogue-photos", "s3://media/catalogue-photos", "snapshot-" + (10 + v),
                        Lineage.DatasetRole.TRAIN)),
                "model.onnx", 6144, Map.of("framework", "pytorch", "exported", "onnx-opset-17"));
        switch (v) {
            case 4, 8 -> {
                toStaging(maya, IMAGES, v, "fine-tuned on the new photo snapshot");
                wait(18, 8);
                registry.transition(priya, IMAGES, v, Stage.PRODUCTION, "accuracy up, latency down", true);
                wait(1, 1);
                registry.setAlias(maya, IMAGES, "champion", v, "");
            }
            case 10 -> registry.setAlias(maya, IMAGES, "challenger", v, "larger batch next");
            default -> { }
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private Actor user(Actor admin, String name, Role role) {
        GovernanceService.NewUser created = governance.createUser(admin, name, role, null);
        return governance.authenticate(created.token().secret());
    }

    /** Registers version {@code v} (its number follows from the rounds) with a file and a config, as a pipeline would. */
    private void register(Actor actor, String model, int v, String format, Map<String, Double> metrics,
                          Map<String, String> params, Signature signature, String repository,
                          List<Lineage.Dataset> datasets, String file, int size, Map<String, String> tags) {
        String commit = hex(model + "@commit" + v).substring(0, 40);
        String run = hex(model + "@run" + v).substring(0, 32);
        List<Lineage.Parent> parents = v == 1 ? List.of() : List.of(new Lineage.Parent(model, v - 1, "retrained-from"));
        Lineage lineage = new Lineage(datasets, new Lineage.Code(repository, commit, "main", null, false),
                new Lineage.Run(run, "https://mlflow.example.com/#/experiments/7/runs/" + run), parents,
                new Lineage.Environment("python 3.11", List.of(format.equals("sklearn") ? "scikit-learn==1.5.2"
                        : "torch==2.4.1", "numpy==1.26.4"), "sha256:" + hex(model + "@lock" + (v + 1) / 3)));
        NewVersion spec = new NewVersion(describe(model, v), tags, metrics, params, signature, format,
                "s3://ml-artifacts/" + model + "/run-" + run.substring(0, 8) + "/", run, lineage, null);
        int number = registry.createVersion(actor, model, spec, false).version();
        wait(0, 1);
        byte[] weights = new byte[size + random.nextInt(size / 2)];
        new Random(SEED ^ (model.hashCode() * 31L + v)).nextBytes(weights);
        add(actor, model, number, file, weights);
        add(actor, model, number, "config.json", ("{\"model\":\"" + model + "\",\"version\":" + v + ",\"params\":"
                + params.size() + "}\n").getBytes(StandardCharsets.UTF_8));
        registry.commit(actor, model, number);
    }

    private void add(Actor actor, String model, int version, String path, byte[] bytes) {
        registry.addFile(actor, model, version, path, new ByteArrayInputStream(bytes), Optional.empty());
    }

    private void toStaging(Actor actor, String model, int v, String comment) {
        wait(2, 4);
        registry.transition(actor, model, v, Stage.STAGING, comment, true);
    }

    private String metric(String model, int v, String name) {
        return String.format(Locale.ROOT, "%.3f", registry.getVersion(model, v).metrics().get(name));
    }

    private static String describe(String model, int v) {
        return v == 1 ? "First baseline of " + model + "." : "Retrain " + v + " of " + model + " on fresher data.";
    }

    private static Lineage.Dataset dataset(String name, String uri, String version, Lineage.DatasetRole role) {
        return new Lineage.Dataset(name, uri, version, "sha256:" + hex(uri + "@" + version), role);
    }

    private static Signature.Column column(String name, String type) {
        return new Signature.Column(name, type, false);
    }

    /** The month of a round's training data: two rounds a month. */
    private static String month(int v) {
        return String.format(Locale.ROOT, "2026-%02d", 5 + (v + 1) / 2);
    }

    private Map<String, Double> metrics(Object... pairs) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            metrics.put((String) pairs[i], Math.round((Double) pairs[i + 1] * 10_000) / 10_000.0);
        }
        return metrics;
    }

    private double noise(double scale) {
        return random.nextGaussian() * scale;
    }

    /** Moves the clock on by {@code hours} plus up to {@code spread} more, and a few minutes. */
    private void wait(int hours, int spread) {
        clock.advance(Duration.ofHours(hours + (spread > 0 ? random.nextInt(spread + 1) : 0))
                .plusMinutes(random.nextInt(50) + 3));
    }

    private static String hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock that stands still until the seeding moves it on, so the history spreads over the past weeks. */
    private static final class DemoClock extends Clock {
        private Instant now;

        DemoClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the demo clock is UTC");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
