package dev.cairn.core.model;

import java.util.List;

/** What produced a version. Immutable once the version is READY. Absent parts are null or empty. */
public record Lineage(
        List<Dataset> datasets,
        Code code,
        Run run,
        List<Parent> parents,
        Environment environment) {

    public static final Lineage EMPTY = new Lineage(List.of(), null, null, List.of(), null);

    public Lineage {
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
        parents = parents == null ? List.of() : List.copyOf(parents);
    }

    public boolean isEmpty() {
        return datasets.isEmpty() && code == null && run == null && parents.isEmpty() && environment == null;
    }

    public enum DatasetRole {
        TRAIN, VALIDATION, TEST, OTHER;

        public static DatasetRole parse(String text) {
            if (text == null || text.isBlank()) {
                return OTHER;
            }
            for (DatasetRole role : values()) {
                if (role.name().equalsIgnoreCase(text.trim())) {
                    return role;
                }
            }
            throw dev.cairn.core.RegistryException.invalid(
                    "unknown dataset role '" + text + "': expected train, validation, test or other");
        }
    }

    /** A dataset version that went in. {@code digest} is {@code sha256:HEX} when known. */
    public record Dataset(String name, String uri, String version, String digest, DatasetRole role) {
        public Dataset {
            role = role == null ? DatasetRole.OTHER : role;
        }
    }

    public record Code(String repository, String commit, String branch, String path, Boolean dirty) {}

    public record Run(String id, String uri) {}

    public record Parent(String model, int version, String relation) {}

    public record Environment(String runtime, List<String> dependencies, String lockfileDigest) {
        public Environment {
            dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
        }
    }
}
