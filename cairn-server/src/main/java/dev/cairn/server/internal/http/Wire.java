package dev.cairn.server.internal.http;

import dev.cairn.api.ApiModels;
import dev.cairn.core.RegistryException;
import dev.cairn.core.compare.Comparison;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.FileEntry;
import dev.cairn.core.model.Lineage;
import dev.cairn.core.model.ModelPointers;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.NewVersion;
import dev.cairn.core.model.RegisteredModel;
import dev.cairn.core.model.Signature;
import dev.cairn.core.verify.VerifyReport;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The one mapping between core records and the wire records of {@code cairn-api}, both ways. */
public final class Wire {
    private Wire() {}

    // --- core to wire -------------------------------------------------------------------------------------------

    public static ApiModels.Model model(RegisteredModel model, ModelPointers pointers) {
        return new ApiModels.Model(model.name(), model.description(), sorted(model.tags()), model.owner(), time(model.createdAt()),
                time(model.updatedAt()), model.lastVersion(), pointers.stages(), pointers.aliases());
    }

    public static ApiModels.Version version(ModelVersion v) {
        return new ApiModels.Version(v.modelName(), v.version(), v.status().name(), v.stage().label(), v.aliases(),
                v.description(), sorted(v.tags()), sorted(v.metrics()), sorted(v.params()), signature(v.signature()), v.format(), v.source(),
                v.runId(), lineage(v.lineage()), v.manifest().digest(), v.manifest().files().stream().map(Wire::file).toList(),
                v.manifest().totalSize(), v.createdBy(), time(v.createdAt()), time(v.updatedAt()), v.contentAddressed());
    }

    public static ApiModels.FileInfo file(FileEntry file) {
        return new ApiModels.FileInfo(file.path(), file.size(), file.sha256());
    }

    public static ApiModels.Event event(Event e) {
        return new ApiModels.Event(e.seq(), time(e.time()), e.actor(), e.model(), e.version(), e.kind().name(), e.payload());
    }

    public static ApiModels.Comparison comparison(Comparison c) {
        return new ApiModels.Comparison(c.model(), c.versions(), c.digests(),
                c.metrics().stream().map(m -> new ApiModels.MetricRow(m.name(), m.values(), m.deltas(), m.relativeDeltas())).toList(),
                c.params().stream().map(p -> new ApiModels.ParamRow(p.name(), p.values(), p.differs())).toList(),
                c.lineage().stream().map(l -> new ApiModels.LineageDiff(l.version(), l.datasetsChanged(), l.datasetsAdded(),
                        l.datasetsRemoved(), l.commitChanged(), l.commit(), l.parentsChanged())).toList(),
                c.files().stream().map(f -> new ApiModels.FileDiff(f.version(), f.identical(), f.added(), f.removed(),
                        f.changed().stream().map(x -> new ApiModels.ChangedFile(x.path(), x.sizeBefore(), x.sizeAfter())).toList(),
                        f.sizeDelta())).toList(),
                c.signatures().stream().map(s -> new ApiModels.SignatureDiff(s.version(), s.identical(), s.compatible(),
                        s.breaking())).toList());
    }

    public static ApiModels.VerifyReport verifyReport(VerifyReport report) {
        return new ApiModels.VerifyReport(report.ok(), report.versions().stream().map(c -> new ApiModels.VersionCheck(
                c.model(), c.version(), c.digest(), c.filesChecked(), c.missing(), c.corrupt(), c.digestMatches(),
                c.lineageWarnings(), c.ok(), c.unverifiable())).toList());
    }

    private static ApiModels.Signature signature(Signature s) {
        return s == null ? null : new ApiModels.Signature(columns(s.inputs()), columns(s.outputs()));
    }

    private static List<ApiModels.Column> columns(List<Signature.Column> columns) {
        return columns.stream().map(c -> new ApiModels.Column(c.name(), c.type(), c.optional())).toList();
    }

    private static ApiModels.Lineage lineage(Lineage l) {
        Lineage.Code c = l.code();
        Lineage.Run r = l.run();
        Lineage.Environment e = l.environment();
        return new ApiModels.Lineage(
                l.datasets().stream().map(d -> new ApiModels.Dataset(d.name(), d.uri(), d.version(), d.digest(),
                        d.role().name().toLowerCase(Locale.ROOT))).toList(),
                c == null ? null : new ApiModels.Code(c.repository(), c.commit(), c.branch(), c.path(), c.dirty()),
                r == null ? null : new ApiModels.Run(r.id(), r.uri()),
                l.parents().stream().map(p -> new ApiModels.Parent(p.model(), p.version(), p.relation())).toList(),
                e == null ? null : new ApiModels.Environment(e.runtime(), e.dependencies(), e.lockfileDigest()));
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    // --- wire to core -------------------------------------------------------------------------------------------

    public static NewVersion newVersion(ApiModels.CreateVersion v) {
        return new NewVersion(v.description(), v.tags(), v.metrics(), v.params(), signature(v.signature()), v.format(),
                v.source(), v.runId(), lineage(v.lineage()), null);
    }

    private static Signature signature(ApiModels.Signature s) {
        return s == null ? null : new Signature(columns("inputs", s.inputs()), columns("outputs", s.outputs()));
    }

    private static List<Signature.Column> columns(String side, List<ApiModels.Column> columns) {
        if (columns == null) {
            return List.of();
        }
        return columns.stream().map(c -> {
            if (c == null || c.name() == null || c.type() == null) {
                throw RegistryException.invalid("every signature column of " + side + " needs a name and a type");
            }
            return new Signature.Column(c.name(), c.type(), Boolean.TRUE.equals(c.optional()));
        }).toList();
    }

    private static Lineage lineage(ApiModels.Lineage l) {
        if (l == null) {
            return Lineage.EMPTY;
        }
        List<Lineage.Dataset> datasets = l.datasets() == null ? List.of() : l.datasets().stream().map(d -> {
            if (d == null) {
                throw RegistryException.invalid("lineage.datasets must not contain null");
            }
            return new Lineage.Dataset(d.name(), d.uri(), d.version(), d.digest(), Lineage.DatasetRole.parse(d.role()));
        }).toList();
        List<Lineage.Parent> parents = l.parents() == null ? List.of() : l.parents().stream().map(p -> {
            if (p == null || p.model() == null) {
                throw RegistryException.invalid("every lineage parent needs a model and a version");
            }
            return new Lineage.Parent(p.model(), p.version(), p.relation());
        }).toList();
        ApiModels.Code c = l.code();
        ApiModels.Run r = l.run();
        ApiModels.Environment e = l.environment();
        return new Lineage(datasets,
                c == null ? null : new Lineage.Code(c.repository(), c.commit(), c.branch(), c.path(), c.dirty()),
                r == null ? null : new Lineage.Run(r.id(), r.uri()),
                parents,
                e == null ? null : new Lineage.Environment(e.runtime(), noNulls("lineage.environment.dependencies",
                        e.dependencies()), e.lockfileDigest()));
    }

    private static <T> List<T> noNulls(String field, List<T> values) {
        if (values != null && values.contains(null)) {
            throw RegistryException.invalid(field + " must not contain null");
        }
        return values;
    }

    /** Maps in key order, so JSON output reads the same on every call. */
    private static <V> SortedMap<String, V> sorted(Map<String, V> map) {
        return new TreeMap<>(map);
    }
}
