package dev.cairn.core.source;

import dev.cairn.core.model.Lineage;
import dev.cairn.core.model.Validate;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Run;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a version registered from a run takes from it: the run's latest metrics and its params, and lineage — the git
 * commit MLflow tagged the run with, the run itself, and the datasets it logged as inputs.
 */
public final class RunImport {
    static final String GIT_REPO = "mlflow.source.git.repoURL";
    static final String GIT_COMMIT = "mlflow.source.git.commit";
    static final String GIT_BRANCH = "mlflow.source.git.branch";
    static final String DATA_CONTEXT = "mlflow.data.context";
    /** MLflow writes a dataset's source as JSON such as {"uri": "s3://..."}; the location is the URI to keep. */
    private static final Pattern SOURCE_URI = Pattern.compile("\"(?:uri|url|path)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private RunImport() {}

    public static Map<String, Double> metrics(Run run) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Metric metric : run.latestMetrics()) {
            metrics.put(metric.key(), metric.value());
        }
        return metrics;
    }

    public static Lineage lineage(Run run) {
        String repository = run.tags().get(GIT_REPO);
        String commit = run.tags().get(GIT_COMMIT);
        String branch = run.tags().get(GIT_BRANCH);
        Lineage.Code code = repository == null && commit == null && branch == null ? null
                : new Lineage.Code(repository, commit, branch, null, null);
        List<Lineage.Dataset> datasets = new ArrayList<>();
        for (DatasetInput input : run.inputs()) {
            datasets.add(new Lineage.Dataset(blankToNull(input.name()), uri(input.source()), null,
                    digest(input.digest()), role(input.tags().get(DATA_CONTEXT))));
        }
        return new Lineage(datasets, code, new Lineage.Run(run.id(), "runs:/" + run.id()), List.of(), null);
    }

    /** MLflow's contexts are free text; the usual words map to Cairn's roles, anything else is OTHER. */
    static Lineage.DatasetRole role(String context) {
        if (context == null) {
            return Lineage.DatasetRole.OTHER;
        }
        return switch (context.trim().toLowerCase(Locale.ROOT)) {
            case "train", "training" -> Lineage.DatasetRole.TRAIN;
            case "validation", "valid", "val", "eval", "evaluation" -> Lineage.DatasetRole.VALIDATION;
            case "test", "testing" -> Lineage.DatasetRole.TEST;
            default -> Lineage.DatasetRole.OTHER;
        };
    }

    static String uri(String source) {
        if (source == null || source.isBlank()) {
            return null;
        }
        Matcher m = SOURCE_URI.matcher(source);
        String uri = source.trim().startsWith("{") && m.find() ? m.group(1).replace("\\/", "/") : source.trim();
        return uri.chars().anyMatch(Character::isISOControl) ? null : uri;
    }

    /** A digest the registry cannot take is left out rather than failing the registration of a model. */
    private static String digest(String digest) {
        if (digest == null || digest.isBlank()) {
            return null;
        }
        try {
            return Validate.datasetDigest("dataset digest", digest);
        } catch (dev.cairn.core.RegistryException unusable) {
            return null;
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
