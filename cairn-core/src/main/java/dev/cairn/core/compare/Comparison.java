package dev.cairn.core.compare;

import dev.cairn.core.model.FileEntry;
import dev.cairn.core.model.Lineage;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.Signature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Two or more versions side by side. The first version is the baseline every delta and diff is measured against.
 */
public record Comparison(
        String model,
        List<Integer> versions,
        List<String> digests,
        List<MetricRow> metrics,
        List<ParamRow> params,
        List<LineageDiff> lineage,
        List<FileDiff> files,
        List<SignatureDiff> signatures) {

    /** One metric across the versions; deltas are against the baseline and null where either value is missing. */
    public record MetricRow(String name, List<Double> values, List<Double> deltas, List<Double> relativeDeltas) {}

    /** One param across the versions; {@code differs} when not every version has the same value. */
    public record ParamRow(String name, List<String> values, boolean differs) {}

    /** How one version's lineage differs from the baseline's. */
    public record LineageDiff(int version, boolean datasetsChanged, List<String> datasetsAdded,
                              List<String> datasetsRemoved, boolean commitChanged, String commit,
                              boolean parentsChanged) {}

    /** How one version's files differ from the baseline's. */
    public record FileDiff(int version, boolean identical, List<String> added, List<String> removed,
                           List<Changed> changed, long sizeDelta) {
        public record Changed(String path, long sizeBefore, long sizeAfter) {}
    }

    /**
     * How one version's signature relates to the baseline's: {@code compatible} when it takes the baseline's inputs
     * (none removed, none newly required, no type changed) and gives at least its outputs, unchanged in type; the
     * reasons say what breaks.
     */
    public record SignatureDiff(int version, boolean identical, boolean compatible, List<String> breaking) {}

    public static Comparison of(List<ModelVersion> versions) {
        if (versions.size() < 2) {
            throw dev.cairn.core.RegistryException.invalid("compare needs at least two versions");
        }
        ModelVersion base = versions.get(0);
        List<ModelVersion> others = versions.subList(1, versions.size());
        return new Comparison(
                base.modelName(),
                versions.stream().map(ModelVersion::version).toList(),
                versions.stream().map(v -> v.manifest().digest()).toList(),
                metricRows(versions),
                paramRows(versions),
                others.stream().map(v -> lineageDiff(base, v)).toList(),
                others.stream().map(v -> fileDiff(base, v)).toList(),
                others.stream().map(v -> signatureDiff(base, v)).toList());
    }

    private static List<MetricRow> metricRows(List<ModelVersion> versions) {
        TreeSet<String> names = new TreeSet<>();
        versions.forEach(v -> names.addAll(v.metrics().keySet()));
        List<MetricRow> rows = new ArrayList<>();
        for (String name : names) {
            List<Double> values = versions.stream().map(v -> v.metrics().get(name)).toList();
            Double base = values.get(0);
            List<Double> deltas = new ArrayList<>();
            List<Double> relative = new ArrayList<>();
            for (Double value : values) {
                boolean known = base != null && value != null;
                deltas.add(known ? value - base : null);
                relative.add(known && base != 0.0 ? (value - base) / Math.abs(base) : null);
            }
            rows.add(new MetricRow(name, nullable(values), deltas, relative));
        }
        return rows;
    }

    private static List<ParamRow> paramRows(List<ModelVersion> versions) {
        TreeSet<String> names = new TreeSet<>();
        versions.forEach(v -> names.addAll(v.params().keySet()));
        List<ParamRow> rows = new ArrayList<>();
        for (String name : names) {
            List<String> values = versions.stream().map(v -> v.params().get(name)).toList();
            boolean differs = values.stream().distinct().count() > 1;
            rows.add(new ParamRow(name, nullable(values), differs));
        }
        return rows;
    }

    private static LineageDiff lineageDiff(ModelVersion base, ModelVersion other) {
        Map<String, Lineage.Dataset> before = datasets(base.lineage());
        Map<String, Lineage.Dataset> after = datasets(other.lineage());
        List<String> added = after.keySet().stream().filter(k -> !before.containsKey(k)).toList();
        List<String> removed = before.keySet().stream().filter(k -> !after.containsKey(k)).toList();
        String baseCommit = base.lineage().code() == null ? null : base.lineage().code().commit();
        String commit = other.lineage().code() == null ? null : other.lineage().code().commit();
        return new LineageDiff(other.version(), !added.isEmpty() || !removed.isEmpty(), added, removed,
                !Objects.equals(baseCommit, commit), commit,
                !base.lineage().parents().equals(other.lineage().parents()));
    }

    /** Datasets keyed by what identifies their content: uri, version and digest. */
    private static Map<String, Lineage.Dataset> datasets(Lineage lineage) {
        Map<String, Lineage.Dataset> byKey = new TreeMap<>();
        for (Lineage.Dataset d : lineage.datasets()) {
            String key = (d.uri() == null ? d.name() : d.uri())
                    + (d.version() == null ? "" : "@" + d.version())
                    + (d.digest() == null ? "" : "#" + d.digest());
            byKey.put(key, d);
        }
        return byKey;
    }

    private static FileDiff fileDiff(ModelVersion base, ModelVersion other) {
        Map<String, FileEntry> before = byPath(base.manifest().files());
        Map<String, FileEntry> after = byPath(other.manifest().files());
        List<String> added = after.keySet().stream().filter(p -> !before.containsKey(p)).toList();
        List<String> removed = before.keySet().stream().filter(p -> !after.containsKey(p)).toList();
        List<FileDiff.Changed> changed = after.values().stream()
                .filter(f -> before.containsKey(f.path()) && !before.get(f.path()).sha256().equals(f.sha256()))
                .map(f -> new FileDiff.Changed(f.path(), before.get(f.path()).size(), f.size()))
                .toList();
        boolean identical = Objects.equals(base.manifest().digest(), other.manifest().digest());
        return new FileDiff(other.version(), identical, added, removed, changed,
                other.manifest().totalSize() - base.manifest().totalSize());
    }

    private static Map<String, FileEntry> byPath(List<FileEntry> files) {
        return files.stream().collect(Collectors.toMap(FileEntry::path, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    }

    /**
     * How {@code other}'s signature relates to {@code base}'s. Breaking: an input removed or made required, a new
     * required input, an input or output whose type changed, an output removed.
     */
    public static SignatureDiff signatureDiff(ModelVersion base, ModelVersion other) {
        Signature before = base.signature();
        Signature after = other.signature();
        if (Objects.equals(before, after)) {
            return new SignatureDiff(other.version(), true, true, List.of());
        }
        List<String> breaking = new ArrayList<>();
        if (before == null || after == null) {
            breaking.add(before == null ? "signature added where there was none" : "signature removed");
            return new SignatureDiff(other.version(), false, before == null, before == null ? List.of() : breaking);
        }
        Map<String, Signature.Column> oldInputs = columns(before.inputs());
        for (Signature.Column input : after.inputs()) {
            Signature.Column old = oldInputs.get(input.name());
            if (old == null && !input.optional()) {
                breaking.add("new required input '" + input.name() + "'");
            } else if (old != null && !old.type().equals(input.type())) {
                breaking.add("input '" + input.name() + "' changed type " + old.type() + " -> " + input.type());
            } else if (old != null && old.optional() && !input.optional()) {
                breaking.add("input '" + input.name() + "' became required");
            }
        }
        Map<String, Signature.Column> newInputs = columns(after.inputs());
        for (Signature.Column input : before.inputs()) {
            if (!newInputs.containsKey(input.name())) {
                breaking.add("input '" + input.name() + "' removed");
            }
        }
        Map<String, Signature.Column> newOutputs = columns(after.outputs());
        for (Signature.Column output : before.outputs()) {
            Signature.Column now = newOutputs.get(output.name());
            if (now == null) {
                breaking.add("output '" + output.name() + "' removed");
            } else if (!now.type().equals(output.type())) {
                breaking.add("output '" + output.name() + "' changed type " + output.type() + " -> " + now.type());
            }
        }
        return new SignatureDiff(other.version(), false, breaking.isEmpty(), breaking);
    }

    private static Map<String, Signature.Column> columns(List<Signature.Column> columns) {
        return columns.stream().collect(Collectors.toMap(Signature.Column::name, Function.identity(), (a, b) -> a));
    }

    private static <T> List<T> nullable(List<T> values) {
        return java.util.Collections.unmodifiableList(new ArrayList<>(values));
    }
}
